from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OUTGOING = "out", _("Outgoing")
    INCOMING = "in", _("Incoming")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    OVERDUE = "overdue", _("Overdue")


class Action(models.TextChoices):
    VERIFY = "verify", _("Verify and place under measures (核查管控)")
    LANDING = "landing", _("Landing control (落地管控)")
    MONITORING = "monitoring", _("Health monitoring (健康监测)")
    TESTING = "testing", _("Nucleic acid testing (核酸检测)")


class Result(models.TextChoices):
    PLACED = "placed", _("Found, placed under measures")
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("Not found")


CLOSED = (RequestStatus.DONE, RequestStatus.REJECTED)
OPEN = (RequestStatus.SENT, RequestStatus.RECEIVED, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS, RequestStatus.OVERDUE)
