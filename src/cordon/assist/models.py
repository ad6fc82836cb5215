"""Inter-city assistance requests (协查).

A Partner is another city's epidemic-control authority we exchange requests with: its 6-digit division code, the
endpoint its platform takes our messages at (blank: it fetches them from us) and the shared secret both sides sign
messages with (HMAC-SHA256, docs/ASSIST.md). A Request goes out (our contact living there) or comes in (theirs living
here); its person data is shown masked unless the viewer may unmask it in the request's area (audited). region_path
is, for an outgoing request, the sender's area; for an incoming one, the district it was routed to (the city's root
when nothing places it). Every status change is a RequestStep; every message to a partner an OutboundMessage, which
is delivered to the partner's endpoint or waits for the partner to fetch it."""

from django.conf import settings
from django.db import models

from cordon.assist.enums import Action, Direction, RequestStatus, Result
from cordon.core.models import Scoped


class Partner(models.Model):
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=12, unique=True, help_text="6-digit administrative division code")
    endpoint_url = models.URLField(blank=True, help_text="where their platform takes our messages; blank: they fetch them")
    secret = models.CharField(max_length=128, help_text="shared secret for HMAC-SHA256 signatures")
    contact_name = models.CharField(max_length=50, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_code"]

    def __str__(self):
        return f"{self.name} ({self.region_code})"


class Request(Scoped):
    direction = models.CharField(max_length=3, choices=Direction.choices, db_index=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="requests")
    our_ref = models.CharField(max_length=40, unique=True)
    their_ref = models.CharField(max_length=60, blank=True)
    # the person (shown masked by default)
    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=200, blank=True, help_text="stated residence")
    residence_code = models.CharField(max_length=12, blank=True, help_text="division code of the stated residence")
    # the exposure
    case_ref = models.CharField(max_length=60, blank=True)
    contact_kind = models.CharField(max_length=24)
    last_exposure = models.DateTimeField()
    exposure_place = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices, default=Action.VERIFY)
    deadline = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, db_index=True)
    result = models.CharField(max_length=12, choices=Result.choices, blank=True)
    result_note = models.CharField(max_length=500, blank=True)
    routed_by = models.CharField(max_length=20, blank=True, help_text="incoming: resident, residence_code, id_number or city")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    risk_person = models.ForeignKey("contacts.RiskPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_id = models.BigIntegerField(null=True, blank=True, help_text="the command task that tracks the deadline")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["partner", "direction", "their_ref"], condition=~models.Q(their_ref=""),
                                               name="assist_unique_partner_ref")]
        indexes = [models.Index(fields=["direction", "status", "deadline"])]

    def __str__(self):
        return self.our_ref

    @property
    def source(self) -> str:
        return f"assist.request:{self.pk}"


class RequestStep(Scoped):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=RequestStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_partner = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class OutboundMessage(models.Model):
    """A message to a partner: a request we send or a status of one of theirs. `id` is the cursor partners fetch by."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="messages")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10)  # request | status
    payload = models.JSONField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
