from django.apps import AppConfig


class SimConfig(AppConfig):
    name = "cordon.sim"
    label = "sim"
