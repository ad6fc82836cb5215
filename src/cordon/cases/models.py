"""Cases, their investigation (流调): trajectory stays and named contacts, and the status timeline.

region_path is the case person's grid. Stays and named contacts belong to a case and are reached
through it (they are not scoped on their own)."""

from django.conf import settings
from django.db import models

from cordon.cases.enums import CaseKind, CaseStatus, FoundBy, Severity, StayKind
from cordon.core.models import Scoped


class Case(Scoped):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(max_length=16, choices=CaseKind.choices)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED, db_index=True)
    found_by = models.CharField(max_length=16, choices=FoundBy.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MILD)
    onset_date = models.DateField(null=True, blank=True)
    sampled_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(db_index=True)
    isolated_at = models.DateTimeField(null=True, blank=True, help_text="end of the exposure window; confirmation time when empty")
    last_negative_at = models.DateTimeField(null=True, blank=True, help_text="for cases found by screening")
    infector = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="infectees")
    source = models.CharField(max_length=80, blank=True, db_index=True, help_text="what reported it (app.model:id)")
    # Investigation form
    symptoms = models.CharField(max_length=300, blank=True)
    test_history = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # SLA clock
    on_site_at = models.DateTimeField(null=True, blank=True)
    core_done_at = models.DateTimeField(null=True, blank=True)
    report_done_at = models.DateTimeField(null=True, blank=True)
    identified_at = models.DateTimeField(null=True, blank=True)
    general_contacts = models.PositiveIntegerField(default=0, help_text="people who shared a large public place with the case (test notice, no measures)")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "cases"

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source"], condition=~models.Q(source=""), name="uniq_case_source")]

    def __str__(self):
        return f"Case {self.pk}"

    @property
    def window_end(self):
        return self.isolated_at or self.confirmed_at


class CaseEvent(models.Model):
    """The status timeline of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=CaseStatus.choices)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class Stay(models.Model):
    """One trajectory entry from the interview: a place (a venue by code, or a free-text place) or a trip."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stays")
    kind = models.CharField(max_length=10, choices=StayKind.choices, default=StayKind.PLACE)
    venue = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("venues.VenueUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="class, floor, workshop or carriage inside the venue, when known")
    place = models.CharField(max_length=200, blank=True)
    time_in = models.DateTimeField()
    time_out = models.DateTimeField()
    vehicle = models.CharField(max_length=40, blank=True, help_text="train/flight/bus number or plate")
    seat = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["time_in", "id"]
        indexes = [models.Index(fields=["vehicle", "time_in"])]
        constraints = [models.CheckConstraint(condition=models.Q(time_out__gte=models.F("time_in")), name="stay_out_after_in")]


class NamedContact(models.Model):
    """A contact the case named in the interview (setting, protection)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="named_contacts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    setting = models.CharField(max_length=40)
    protection = models.CharField(max_length=40, blank=True)
    last_exposure = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="uniq_named_contact")]
