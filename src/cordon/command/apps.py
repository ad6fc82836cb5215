from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "cordon.command"
    label = "command"
