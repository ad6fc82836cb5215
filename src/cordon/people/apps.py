from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cordon.people"
    label = "people"
