from django.apps import AppConfig


class GatheringsConfig(AppConfig):
    name = "cordon.gatherings"
    label = "gatherings"
