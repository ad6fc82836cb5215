"""Tasks with a named responsible person and a deadline. Other modules file tasks through
command.services.task_create; escalation moves an overdue task up the responsibility chain."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped


class Priority(models.IntegerChoices):
    URGENT = 1, "特急"
    HIGH = 2, "紧急"
    NORMAL = 3, "一般"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


class Task(Scoped):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=60, db_index=True, help_text="e.g. tracing.overdue, monitoring.missed, manual")
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    owner_role = models.CharField(max_length=40, blank=True, help_text="role expected to own it when no person is named yet")
    deadline = models.DateTimeField(db_index=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=80, blank=True, db_index=True, help_text="app.model:id that filed it")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["region_path", "status"])]

    def __str__(self):
        return self.title


class Responsibility(Scoped):
    """包保: a named responsible person and a deputy for one object (zone, site, checkpoint, grid, round, task...)."""

    object_type = models.CharField(max_length=20, db_index=True)
    object_id = models.CharField(max_length=40, blank=True, help_text="id of the object; empty for a region")
    label = models.CharField(max_length=200)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="responsibilities")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="deputy_responsibilities")
    phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id", "region_path"], condition=models.Q(active=True),
                                               name="uniq_active_responsibility")]

    def __str__(self):
        return self.label


class Inspection(Scoped):
    """One supervision visit: who, where, when and the checklist answers."""

    place = models.CharField(max_length=200)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections")
    at = models.DateTimeField(db_index=True)
    checklist = models.JSONField(default=list, help_text='[{"item": str, "ok": bool, "note": str}]')
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    def __str__(self):
        return self.place


class LedgerItem(Scoped):
    """挂账销号: a finding stays on the ledger with a rectification owner and deadline until re-inspected and closed."""

    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    severity = models.CharField(max_length=10, default="minor", db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_items")
    deadline = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, default="open", db_index=True)
    public_tracking = models.BooleanField(default=False, help_text="挂牌督办: tracked in public")
    rectification = models.TextField(blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reinspection_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        indexes = [models.Index(fields=["region_path", "status"])]

    def __str__(self):
        return self.title


class Evidence(models.Model):
    """A photo or file showing a finding or its rectification."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="command/evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=12, default="finding", help_text="finding | rectification | reinspection")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class DispatchPost(Scoped):
    """A district's request for, or offer of, samplers, tracers, rooms, supplies or lab capacity."""

    side = models.CharField(max_length=8, db_index=True)
    resource = models.CharField(max_length=16, db_index=True)
    quantity = models.PositiveIntegerField()
    remaining = models.PositiveIntegerField()
    start = models.DateField()
    end = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, default="open", db_index=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    def __str__(self):
        return f"{self.side} {self.resource} x{self.quantity}"


class DispatchMatch(Scoped):
    """A loan from an offering district to a requesting one; region_path is the lender's, who approves and tracks the return."""

    request = models.ForeignKey(DispatchPost, on_delete=models.PROTECT, related_name="matches_as_request")
    offer = models.ForeignKey(DispatchPost, on_delete=models.PROTECT, related_name="matches_as_offer")
    borrower_path = models.CharField(max_length=100, db_index=True)
    resource = models.CharField(max_length=16)
    quantity = models.PositiveIntegerField()
    distance_km = models.FloatField(default=0)
    status = models.CharField(max_length=12, default="proposed", db_index=True)
    due_back = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"


class MetricSnapshot(Scoped):
    """Figures for a region (city or district) at a cut-off, computed by a background job so screens never scan."""

    cut_off = models.DateTimeField(db_index=True)
    data = models.JSONField()
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_path", "cut_off"], name="uniq_snapshot")]
        indexes = [models.Index(fields=["region_path", "-cut_off"])]


class DailyReport(Scoped):
    """每日疫情防控工作情况报告: figures at a cut-off plus the narrative; every regeneration is a new version."""

    report_date = models.DateField(db_index=True)
    cut_off = models.DateTimeField()
    version = models.PositiveSmallIntegerField(default=1)
    number = models.CharField(max_length=60, help_text="文号")
    title = models.CharField(max_length=200)
    data = models.JSONField()
    remarks = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_path", "report_date", "version"], name="uniq_report_version")]
        ordering = ["-report_date", "-version"]
