"""Daily self-reporting by people under home measures (issue 25, after Sara Alert).

- Enrolment: one person under home isolation or home health monitoring (the status reason quarantine or contacts set,
  `source` names it), the city days it covers, and the personal link's secret. The link's token is never stored: it is
  an HMAC of `salt` with the secret key; the row keeps the token's SHA-256 (`token_hash`) to find the enrolment.
  region_path is the person's grid.
- Report: what the person reported on a city day (one row per day: a second report the same day replaces the
  values and counts the submission; a fever or symptom reported earlier that day keeps its task).
- Miss: a city day without a report by the cut-off, with the task filed for the grid worker and the run of misses.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cordon.core.models import Scoped
from cordon.selfreport.enums import SYMPTOM_LABELS, EndReason, MeasureKind


class Enrolment(Scoped):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="selfreport_enrolments")
    kind = models.CharField(max_length=16, choices=MeasureKind.choices)
    source = models.CharField(max_length=80, help_text="the status reason's source: quarantine.stay:N, contacts.riskperson:N")
    start = models.DateField()
    end = models.DateField()
    salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_path", "id"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(active=True), name="selfreport_one_active_per_person")]

    def __str__(self):
        return f"Enrolment {self.pk}"


class Report(Scoped):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reports")
    day = models.DateField(db_index=True)
    at = models.DateTimeField()
    temperature = models.DecimalField(max_digits=3, decimal_places=1)
    symptoms = models.JSONField(default=list, blank=True)
    fever = models.BooleanField(default=False, help_text="at or above the rule set's fever threshold")
    submissions = models.PositiveSmallIntegerField(default=1)
    answer_id = models.BigIntegerField(null=True, blank=True, help_text="the questionnaire answer saved with it")

    class Meta:
        ordering = ["-day", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="selfreport_one_report_per_day")]

    @property
    def alarming(self) -> bool:
        return self.fever or bool(self.symptoms)

    @property
    def symptom_labels(self) -> list[str]:
        return [str(SYMPTOM_LABELS.get(s, s)) for s in self.symptoms]


class Miss(Scoped):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="misses")
    day = models.DateField(db_index=True)
    streak = models.PositiveSmallIntegerField(default=1, help_text="days missed in a row, this one included")
    task_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="selfreport_one_miss_per_day")]


class Reminder(Scoped):
    """A link sent to the person: the morning reminder (round 1), the one before the cut-off (round 2) or an officer's
    resend (round 0). One per enrolment, day and round (the daily rounds are idempotent)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    round = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    channel = models.CharField(max_length=16, default="sms")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day", "round"], condition=models.Q(round__gt=0),
                                               name="selfreport_one_reminder_per_round")]
