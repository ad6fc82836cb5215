"""Statuses and kinds of the command module."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.lifecycle import Lifecycle


class ObjectType(models.TextChoices):
    REGION = "region", _("Region or grid")
    ZONE = "zone", _("Zone")
    SITE = "site", _("Quarantine site")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    ROUND = "round", _("Testing round")
    TASK = "task", _("Task")
    VENUE = "venue", _("Venue")
    TESTING_SITE = "testing_site", _("Testing site")
    CLOSURE = "closure", _("Venue closure")
    GATHERING = "gathering", _("Gathering decision")
    LOAN = "loan", _("Dispatch loan")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MINOR = "minor", pgettext_lazy("finding severity", "Minor")
    SERIOUS = "serious", pgettext_lazy("finding severity", "Serious")
    SEVERE = "severe", pgettext_lazy("finding severity", "Severe")


class LedgerStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ledger item", "Open")
    RECTIFIED = "rectified", _("Rectified, awaiting re-inspection")
    CLOSED = "closed", pgettext_lazy("ledger item", "Closed")


# 挂账销号: an open finding is reported rectified; the re-inspection closes it (销号) or puts it back open with a new
# deadline. A closed item is final.
LEDGER_LIFECYCLE = Lifecycle(_("ledger item"), {
    LedgerStatus.OPEN: [LedgerStatus.RECTIFIED],
    LedgerStatus.RECTIFIED: [LedgerStatus.CLOSED, LedgerStatus.OPEN],
    LedgerStatus.CLOSED: [],
}, labels=LedgerStatus)


class Resource(models.TextChoices):
    SAMPLERS = "samplers", _("Samplers")
    TRACERS = "tracers", _("Tracers")
    ROOMS = "rooms", _("Quarantine rooms")
    SUPPLIES = "supplies", _("Supplies")
    LAB = "lab_capacity", _("Lab capacity (tubes/day)")


class PostSide(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer")


class PostStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispatch post", "Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", pgettext_lazy("dispatch post", "Closed")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    DISPATCHED = "dispatched", _("On loan")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")


class OffDutyReason(models.TextChoices):
    """Why an officer is not at their post (不在岗): their work is handed over while it lasts."""

    UNAVAILABLE = "unavailable", _("Unavailable")
    LEAVE = "leave", _("On leave")
    SICK = "sick", _("Sick")
    CONTACT = "contact", _("Close contact under measures")
    SEALED_ZONE = "sealed_zone", _("In a sealed zone")
    MEASURES = "measures", _("Under health measures")
