from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "cordon.contacts"
    label = "contacts"
