"""Core's own receivers: after `migrate`, the shipped rule sets are synced (core.policy.sync_fixtures)."""

from django.db.models.signals import post_migrate

from cordon.core import policy


def _sync_rulesets(sender, **kwargs):
    if sender.label != "core":
        return
    policy.sync_fixtures()


post_migrate.connect(_sync_rulesets, dispatch_uid="cordon.core.sync_rulesets")
