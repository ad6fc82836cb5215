from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "cordon.checkpoints"
    label = "checkpoints"
