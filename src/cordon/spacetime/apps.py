from django.apps import AppConfig


class SpacetimeConfig(AppConfig):
    name = "cordon.spacetime"
    label = "spacetime"
    verbose_name = "Time-space companions"
