"""Health status per person: a colour derived from active reasons (rule data decides which reason
gives which colour), with its history. Other modules set and clear reasons; nothing else writes
the colour."""

from django.db import models

from cordon.core.models import Scoped


class Colour(models.TextChoices):
    GREEN = "green", "绿码"
    YELLOW = "yellow", "黄码"
    RED = "red", "红码"


class StatusReason(Scoped):
    """Why a person is not green: one row per (person, reason, source) while active."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="status_reasons")
    reason = models.CharField(max_length=40)
    source = models.CharField(max_length=80, help_text="app.model:id that set it")
    since = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True, help_text="expires by itself after this time")
    active = models.BooleanField(default=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "status"

    class Meta:
        indexes = [models.Index(fields=["person", "active"]),
                   # the minute job's "active reasons whose end has passed" (status.jobs.expire_reasons)
                   models.Index(fields=["until"], condition=models.Q(active=True, until__isnull=False), name="status_reason_due")]
        constraints = [models.UniqueConstraint(fields=["person", "reason", "source"], condition=models.Q(active=True),
                                               name="uniq_active_status_reason")]


class HealthStatus(Scoped):
    """Current colour; recomputed from the active reasons whenever they change."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="health_status")
    colour = models.CharField(max_length=8, choices=Colour.choices, default=Colour.GREEN, db_index=True)
    reasons = models.JSONField(default=list)
    last_negative_at = models.DateTimeField(null=True, blank=True)
    last_sampled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0, help_text="bumps on every change; credentials carry it")

    ACCESS_DOMAIN = "status"


class StatusChange(Scoped):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField()
    colour_from = models.CharField(max_length=8)
    colour_to = models.CharField(max_length=8)
    reasons = models.JSONField(default=list)
    ruleset = models.CharField(max_length=40)

    ACCESS_DOMAIN = "status"

    class Meta:
        indexes = [models.Index(fields=["person", "at"])]
