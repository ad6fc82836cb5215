from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "cordon.assist"
    label = "assist"
