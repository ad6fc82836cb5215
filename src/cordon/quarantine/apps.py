from django.apps import AppConfig


class QuarantineConfig(AppConfig):
    name = "cordon.quarantine"
    label = "quarantine"
