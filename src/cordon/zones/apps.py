from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "cordon.zones"
    label = "zones"

    def ready(self):
        from cordon.zones import receivers  # noqa: F401
