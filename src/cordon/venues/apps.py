from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "cordon.venues"
    label = "venues"
