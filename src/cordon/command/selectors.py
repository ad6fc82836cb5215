"""Reads of tasks."""

from django.db.models import QuerySet
from django.utils import timezone

from cordon.command.models import Task, TaskStatus


def task_list(*, actor, status: str | None = None, overdue: bool = False, kind: str | None = None,
              owner_id: int | None = None) -> QuerySet[Task]:
    """Tasks inside the actor's jurisdiction."""
    qs = Task.objects.visible_to(actor, "view").select_related("owner").order_by("deadline")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], deadline__lt=timezone.now())
    if kind:
        qs = qs.filter(kind=kind)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    return qs
