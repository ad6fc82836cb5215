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

    ACCESS_DOMAIN = "command"

    class Meta:
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["region_path", "status"])]

    def __str__(self):
        return self.title
