"""Tasks with a named responsible person and a deadline. Other modules file tasks through
command.services.task_create; escalation moves an overdue task up the responsibility chain."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.command.enums import LedgerStatus
from cordon.core.lifecycle import Lifecycle
from cordon.core.models import Scoped


class Priority(models.IntegerChoices):
    URGENT = 1, pgettext_lazy("task priority", "Urgent")
    HIGH = 2, pgettext_lazy("task priority", "High")
    NORMAL = 3, pgettext_lazy("task priority", "Normal")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("task", "In progress")
    DONE = "done", pgettext_lazy("task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")


# A task is taken in hand, then done; the officer may cancel it while it is open. Done and cancelled are final.
TASK_LIFECYCLE = Lifecycle(_("task"), {
    TaskStatus.OPEN: [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED],
    TaskStatus.IN_PROGRESS: [TaskStatus.DONE, TaskStatus.CANCELLED],
    TaskStatus.DONE: [],
    TaskStatus.CANCELLED: [],
}, labels=TaskStatus)
# The task page's buttons, by the status each step leads to (offered only when TASK_LIFECYCLE allows it).
TASK_VERBS = {TaskStatus.IN_PROGRESS: "start", TaskStatus.DONE: "close", TaskStatus.CANCELLED: "cancel"}

class Task(Scoped):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=60, db_index=True, help_text="e.g. tracing.overdue, monitoring.missed, manual")
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    owner_role = models.CharField(max_length=40, blank=True, help_text="role expected to own it when no person is named yet")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy_tasks")
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
    resolution = models.JSONField(default=list, blank=True,
                                  help_text="how the owner was found and every re-resolution: [{at, step, region, role, user, reason}]")

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
    status = models.CharField(max_length=10, choices=LedgerStatus.choices, default=LedgerStatus.OPEN, db_index=True)
    public_tracking = models.BooleanField(default=False, help_text="挂牌督办: tracked in public")
    rectification = models.TextField(blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reinspection_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reopened = models.PositiveSmallIntegerField(default=0, help_text="times a re-inspection failed and put the item back open")
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
    stage = models.CharField(max_length=16, default="finding", help_text="finding | rectification | reinspection")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class LedgerStep(models.Model):
    """One step of a ledger item (found, rectified, evidence, passed, failed, flagged): its history, kept when it is reopened."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text="the item's deadline after this step")

    class Meta:
        ordering = ["at", "id"]


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


class DispatchMember(models.Model):
    """A person lent on a loan: the post they fill in the borrowing district, from when, until when; back when the return
    is confirmed for them. While unreturned they serve the borrower, and nobody is lent twice at once (one unreturned loan)."""

    match = models.ForeignKey(DispatchMatch, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans")
    post = models.CharField(max_length=200, help_text="destination post (岗位) in the borrowing district")
    post_path = models.CharField(max_length=100, help_text="region of the destination post, inside the borrower")
    start = models.DateField()
    planned_return = models.DateField()
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(returned_at__isnull=True),
                                               name="dispatch_member_one_open_loan")]


class DispatchLine(models.Model):
    """Rooms, supplies or lab capacity lent on a loan, by item (e.g. 3 rooms at 某酒店, 2000 N95 masks)."""

    match = models.ForeignKey(DispatchMatch, on_delete=models.CASCADE, related_name="lines")
    item = models.CharField(max_length=120)
    quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


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


class DutyShift(Scoped):
    """值班表: who holds a post (a role at a region: region_path) from start to end, with the deputy for the shift."""

    role = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_shifts")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deputy_shifts")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    class Meta:
        indexes = [models.Index(fields=["region_path", "role", "start"])]

    def __str__(self):
        return f"{self.role}@{self.region_path} {self.start:%m-%d %H:%M}"


class OffDuty(Scoped):
    """不在岗: an officer taken out (unavailable, on leave, a contact under measures, in a sealed zone) from since until
    `until` (open-ended when empty); region_path is the officer's first post's region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="off_duty")
    reason = models.CharField(max_length=20, db_index=True)
    since = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=80, blank=True, db_index=True, help_text="app.model:id that took them out, if any")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "command"

    def __str__(self):
        return f"{self.user} {self.reason}"


class HandOver(Scoped):
    """交接: everything one officer answered for, handed to a successor in one step; items list what moved."""

    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handed_over")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="taken_over",
                                help_text="empty when each item went to its own deputy")
    reason = models.CharField(max_length=20)
    off_duty = models.ForeignKey(OffDuty, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers")
    items = models.JSONField(default=list, help_text="[{kind, id, label, to}]")
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)

    ACCESS_DOMAIN = "command"

    def __str__(self):
        return f"{self.from_user} -> {self.to_user or '—'}"


class OfficerPerson(models.Model):
    """The resident record of an officer: when health measures are set on that person (a contact, in a sealed zone,
    a case), the officer is taken out and their work handed over (status calls command.services.persons_under_measures)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident")
    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="officer")
    created_at = models.DateTimeField(auto_now_add=True)
