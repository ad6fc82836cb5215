from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "cordon.regions"
    label = "regions"
