from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "cordon.workforce"
    label = "workforce"
