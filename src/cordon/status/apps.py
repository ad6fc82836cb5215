from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "cordon.status"
    label = "status"
