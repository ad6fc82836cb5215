"""Risk persons: close and secondary contacts, companions, arrivals, discharged cases.

A row is one person in one category from one source case. A person is under one plan per category: a
second case finding someone with an open row extends that row (later exposure, stricter category) and is
kept in its `sources`, rather than opening a second plan. Automatic identification writes `proposed` rows with their evidence; a tracer confirms or
rejects them; confirmed rows get a measure plan from the rule set and go `under_measures`, then
`released`. region_path is the person's grid."""

from django.conf import settings
from django.db import models

from cordon.contacts.enums import Category, RiskStatus
from cordon.core.models import Scoped


class RiskPerson(Scoped):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="risk_records")
    category = models.CharField(max_length=24, choices=Category.choices, db_index=True)
    source_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="risk_people")
    via = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="secondaries",
                            help_text="the close contact a secondary contact was exposed to")
    last_exposure = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RiskStatus.choices, default=RiskStatus.PROPOSED, db_index=True)
    # [{"rule": "venue_overlap"|"household"|"named"|"vehicle"|"workplace", "venue_id", "venue", "start", "end", "minutes", ...}]
    evidence = models.JSONField(default=list)
    # other source cases that found the same person while this row was open: one plan per person and category,
    # the later exposure wins; [{"case", "category", "last_exposure", "at"}] (history, audited contacts.extend)
    sources = models.JSONField(default=list, blank=True)
    plan = models.JSONField(default=list, blank=True)  # [{"kind", "start", "end", "test_days": [dates]}]
    plan_ruleset = models.CharField(max_length=40, blank=True)
    measures_end = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "contacts"

    class Meta:
        ordering = ["-last_exposure", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "category", "source_case"], name="uniq_risk_person_case")]
        indexes = [models.Index(fields=["source_case", "status"])]

    def __str__(self):
        return f"RiskPerson {self.pk}"

    @property
    def source(self) -> str:
        return f"contacts.riskperson:{self.pk}"
