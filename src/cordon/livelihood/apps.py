from django.apps import AppConfig


class LivelihoodConfig(AppConfig):
    name = "cordon.livelihood"
    label = "livelihood"
