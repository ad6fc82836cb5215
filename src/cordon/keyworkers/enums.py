from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DRIVER = "driver", _("Freight driver")
    WORKER = "worker", _("Key worker")


class Cargo(models.TextChoices):
    ESSENTIAL = "essential", _("Essential supplies")
    MEDICAL = "medical", _("Medical supplies")
    PRODUCTION = "production", _("Production materials")


class WorkShift(models.TextChoices):
    DAY = "day", _("Day shift")
    NIGHT = "night", _("Night shift")
    ROTATING = "rotating", _("Rotating shifts")


class TestOutcome(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class TestSource(models.TextChoices):
    OFFICER = "officer", _("Recorded by an officer")
    SCREENING = "screening", _("Mass-testing result")


class PassStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class SuspendReason(models.TextChoices):
    OVERDUE = "overdue", _("Test overdue")
    POSITIVE = "positive", _("Positive test")
    MANUAL = "manual", _("Officer's decision")


class TestState(models.TextChoices):
    OK = "ok", _("Tested in time")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    POSITIVE = "positive", _("Positive")


# Verdicts of a key-worker pass at a checkpoint (stored as the inspection's reason, at most 20 characters).
PASS_REASONS = {
    "kw_ok": _("Key worker or driver pass valid"),
    "kw_invalid": _("Key worker pass unknown, forged or revoked"),
    "kw_expired": _("Key worker pass outside its valid dates"),
    "kw_suspended": _("Key worker pass suspended"),
    "kw_positive": _("Pass holder tested positive"),
    "kw_test": _("No negative test within the hours the pass requires"),
    "kw_route": _("Not on the route of the pass"),
    "kw_plate": _("Vehicle plate differs from the pass"),
}
