from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cordon.accounts"
    label = "accounts"
