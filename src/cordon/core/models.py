"""Core tables: the audit chain, dated rule sets, idempotency records, login throttling.

`Scoped` is the abstract base for every model that holds jurisdiction-bound data: it carries
the materialised region path that `core.access` filters on.
"""

from django.conf import settings
from django.db import models

from cordon.core import access


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, actor, action: str = "view"):
        """Rows inside the actor's jurisdiction for `action`; nothing unless access grants it."""
        return access.scope(self, actor, action)


class Scoped(models.Model):
    """Jurisdiction-bound data. Subclasses set ACCESS_DOMAIN (defaults to the app label)."""

    region_path = models.CharField(max_length=100, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    ACCESS_DOMAIN: str | None = None

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Append-only, hash-chained record of a write or an unmasked view."""

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    region_path = models.CharField(max_length=100, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} by {self.actor_label}"


class AuditHead(models.Model):
    """One row: the id and hash of the newest entry. Anchors the chain so deleting its tail shows."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class RuleSet(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    effective_from = models.DateField()
    data = models.JSONField()

    class Meta:
        ordering = ["effective_from"]

    def __str__(self):
        return self.code


class RuleSetAdoption(models.Model):
    """The city puts a rule set in force from a date. The latest adoption on or before a day wins."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="adoptions")
    effective_from = models.DateField(db_index=True)
    adopted_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["effective_from", "id"]


class IdempotencyRecord(models.Model):
    """Response of a bulk write, replayed when the same key comes again."""

    key = models.CharField(max_length=120)
    scope = models.CharField(max_length=120)
    user_id = models.BigIntegerField(null=True)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "user_id", "key"], name="uniq_idempotency_key")]


class DemoStep(models.Model):
    """Which app has seeded its demo data into the current city (so re-running the demo adds only what is new)."""

    name = models.CharField(max_length=60, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)


class ScheduledRun(models.Model):
    """When the scheduler last queued each periodic job (survives restarts)."""

    name = models.CharField(max_length=120, unique=True)
    last_enqueued_at = models.DateTimeField()
