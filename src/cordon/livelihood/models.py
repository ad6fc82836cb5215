"""Household needs, the emergency medical channel, utility incidents, supply points, key enterprises
with closed-loop production plans and passes.

region_path: a need or an emergency belongs to the household's grid; a team, incident, supply point
or enterprise to the region it serves. Emergencies never look at a person's health status: nobody
under measures may be refused care.
"""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.livelihood.enums import (
    Channel,
    DispatchKind,
    EmergencyKind,
    EmergencyStatus,
    IncidentKind,
    IncidentStatus,
    NeedKind,
    NeedStatus,
    PlanStatus,
    Sector,
    StaffRole,
    StockLevel,
    SupplyPointKind,
)


class DeliveryTeam(Scoped):
    name = models.CharField(max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    leader = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(default=2)
    active = models.BooleanField(default=True)

    def __str__(self):
        return self.name


class Need(Scoped):
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NeedKind.choices)
    detail = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.GRID)
    status = models.CharField(max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    deadline = models.DateTimeField(db_index=True)
    team = models.ForeignKey(DeliveryTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="needs")
    assigned_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    proof = models.FileField(upload_to="livelihood/proof/%Y/%m/", blank=True)
    proof_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=80, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["region_path", "status"])]


class Emergency(Scoped):
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EmergencyKind.choices)
    detail = models.CharField(max_length=500, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.GRID)
    status = models.CharField(max_length=14, choices=EmergencyStatus.choices, default=EmergencyStatus.OPEN, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    ack_deadline = models.DateTimeField()
    dispatch_deadline = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_kind = models.CharField(max_length=12, choices=DispatchKind.choices, blank=True)
    hospital = models.CharField(max_length=100, blank=True)
    vehicle = models.CharField(max_length=40, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]


class Escalation(Scoped):
    """One step up the responsibility chain; region_path is the level it was raised to."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    missed = models.CharField(max_length=12)  # "acknowledge" | "dispatch"
    at = models.DateTimeField()
    task_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["emergency", "level"], name="uniq_emergency_escalation_level")]


class Incident(Scoped):
    kind = models.CharField(max_length=10, choices=IncidentKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=200)
    detail = models.CharField(max_length=500, blank=True)
    households_affected = models.PositiveIntegerField(default=1)
    zone_level = models.CharField(max_length=20, blank=True, help_text="risk level in force when reported")
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN, db_index=True)
    reported_at = models.DateTimeField()
    deadline = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)


class SupplyPoint(Scoped):
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=SupplyPointKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=200, blank=True)
    open = models.BooleanField(default=True)
    grain = models.CharField(max_length=6, choices=StockLevel.choices, default=StockLevel.AMPLE)
    vegetables = models.CharField(max_length=6, choices=StockLevel.choices, default=StockLevel.AMPLE)
    meat_eggs = models.CharField(max_length=6, choices=StockLevel.choices, default=StockLevel.AMPLE)
    milk = models.CharField(max_length=6, choices=StockLevel.choices, default=StockLevel.AMPLE)
    medicine = models.CharField(max_length=6, choices=StockLevel.choices, default=StockLevel.AMPLE)
    updated_at = models.DateTimeField()

    STOCK_FIELDS = ("grain", "vegetables", "meat_eggs", "milk", "medicine")


class Enterprise(Scoped):
    name = models.CharField(max_length=150)
    credit_code = models.CharField(max_length=18, unique=True)
    sector = models.CharField(max_length=14, choices=Sector.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=200, blank=True)
    liaison = models.CharField(max_length=50, blank=True)
    liaison_phone = models.CharField(max_length=20, blank=True)
    whitelisted = models.BooleanField(default=False)
    whitelisted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class LoopPlan(Scoped):
    """A closed-loop production plan: staff live in dormitories and are tested on a schedule."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="plans")
    start = models.DateField()
    end = models.DateField()
    dormitory = models.CharField(max_length=200)
    test_every_days = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)


class LoopStaff(Scoped):
    plan = models.ForeignKey(LoopPlan, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18)
    phone = models.CharField(max_length=20, blank=True)
    role = models.CharField(max_length=8, choices=StaffRole.choices, default=StaffRole.STAFF)
    dorm_room = models.CharField(max_length=40, blank=True)
    vehicle = models.CharField(max_length=20, blank=True)
    last_test = models.DateField(null=True, blank=True)
    last_negative = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "id_number"], name="uniq_loop_staff")]


class StaffPass(Scoped):
    """A pass for closed-loop staff or a driver; checkpoints' green lane verifies it by code."""

    staff = models.ForeignKey(LoopStaff, on_delete=models.CASCADE, related_name="passes")
    code = models.CharField(max_length=32, unique=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    revoked = models.BooleanField(default=False)
    issued_at = models.DateTimeField()
