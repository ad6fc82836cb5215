from django.apps import AppConfig


class KeyworkersConfig(AppConfig):
    name = "cordon.keyworkers"
    label = "keyworkers"
