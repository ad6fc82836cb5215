from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cordon.api"
    label = "api"
