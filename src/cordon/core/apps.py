from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_rulesets(sender, **kwargs):
    if sender.label != "core":
        return
    from cordon.core import policy

    policy.sync_fixtures()


class CoreConfig(AppConfig):
    name = "cordon.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        post_migrate.connect(_sync_rulesets, sender=self)
