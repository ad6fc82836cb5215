from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    name = "cordon.surveillance"
    label = "surveillance"
