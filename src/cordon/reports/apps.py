from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cordon.reports"
    label = "reports"
