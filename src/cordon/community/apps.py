from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "cordon.community"
    label = "community"
