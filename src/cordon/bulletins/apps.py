from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "cordon.bulletins"
    label = "bulletins"
