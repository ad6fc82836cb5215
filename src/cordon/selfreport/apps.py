from django.apps import AppConfig


class SelfreportConfig(AppConfig):
    name = "cordon.selfreport"
    label = "selfreport"
