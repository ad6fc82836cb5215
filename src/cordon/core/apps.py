from django.apps import AppConfig
from django.db.models.signals import post_migrate

from cordon.core import registry


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
        # Every app's `receivers` module subscribes to the events of the apps below it (core.events). All models
        # are loaded before any ready() runs, so importing them here is safe and happens once, for every app.
        registry.load_all("receivers")
