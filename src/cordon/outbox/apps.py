from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "cordon.outbox"
    label = "outbox"
