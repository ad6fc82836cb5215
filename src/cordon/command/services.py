"""Writes for tasks. Modules file tasks here (task_create) and close them when their cause is gone
(task_close_by_source), so an overdue step always has a named owner and a deadline."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cordon.command.models import Task, TaskStatus
from cordon.core import access, audit
from cordon.core.errors import ServiceError


def _default_owner(region_path: str, role: str | None):
    """The first active post holder of `role` at the nearest region on the path (up to the city)."""
    from cordon.accounts.models import Post

    parts = region_path.split(".")
    roles = [role] if role else ["district_officer", "street_officer", "community_worker", "city_commander"]
    for depth in range(len(parts), 0, -1):
        path = ".".join(parts[:depth])
        post = Post.objects.filter(region__path=path, role__in=roles, active=True).select_related("user").order_by("id").first()
        if post:
            return post.user
    return None


def task_create(*, actor, title: str, kind: str, region_path: str, deadline: dt.datetime, owner=None,
                owner_role: str = "", priority: int = 3, detail: str = "", source: str = "") -> Task:
    """File a task; without a named owner, the nearest holder of owner_role on the region path owns it.

    Idempotent per open (kind, source): filing the same cause twice returns the open task.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        access.require(actor, "command.change", region_path)
    if not title.strip():
        raise ServiceError.field("title", "is required")
    if source:
        existing = Task.objects.filter(kind=kind, source=source, status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS]).first()
        if existing:
            return existing
    with transaction.atomic():
        task = Task.objects.create(title=title.strip(), kind=kind, region_path=region_path, deadline=deadline,
                                   owner=owner or _default_owner(region_path, owner_role or None), owner_role=owner_role,
                                   priority=priority, detail=detail, source=source,
                                   created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record(actor, "task.create", task, changes={"title": task.title, "kind": kind, "deadline": deadline,
                                                          "owner": task.owner_id})
    return task


def task_close(*, actor, task: Task, result: str = "", cancelled: bool = False) -> Task:
    """Close a task as done (or cancelled) with its result."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        access.require(actor, "command.change", task.region_path)
    if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise ServiceError.field("status", "the task is closed already", code="closed")
    with transaction.atomic():
        task.status = TaskStatus.CANCELLED if cancelled else TaskStatus.DONE
        task.done_at = timezone.now()
        task.result = result
        task.save(update_fields=["status", "done_at", "result"])
        audit.record(actor, "task.close", task, changes={"status": task.status, "result": result})
    return task


def task_close_by_source(*, actor, source: str, kind: str | None = None, result: str = "resolved") -> int:
    """Close the open tasks a source filed (its cause is gone); returns how many."""
    qs = Task.objects.filter(source=source, status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
    if kind:
        qs = qs.filter(kind=kind)
    n = 0
    for task in qs:
        task_close(actor=None, task=task, result=result)
        n += 1
    return n
