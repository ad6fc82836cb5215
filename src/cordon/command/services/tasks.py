"""Writes for tasks. Modules file tasks here (task_create) and close them when their cause is gone
(task_close_by_source), so an overdue step always has a named owner and a deadline; overdue tasks move
up to the superior post (task_escalate, the escalation job)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.command import rules
from cordon.command.models import TASK_LIFECYCLE, Task, TaskStatus
from cordon.command.services import responsibility, roster
from cordon.command.services.common import (
    SYSTEM,
    notify_user,
    require_change,
    user,
)
from cordon.command.services.common import (
    region_path as known_region,
)
from cordon.core import access, audit, clock, policy
from cordon.core.errors import ServiceError

OPEN = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]
ESCALATION_ROLES = ("grid_worker", "community_worker", "street_officer", "district_officer", "city_commander")


def _require_open(task: Task) -> None:
    if task.status not in OPEN:
        raise ServiceError.field("status", _("the task is closed already"), code="closed")


TASK_DEFAULTS = {"owner": None, "owner_role": "", "priority": 3, "detail": "", "source": ""}
TASK_KEYS = {"title", "kind", "region_path", "deadline", *TASK_DEFAULTS}


def task_create(*, actor, title: str, kind: str, region_path: str, deadline: dt.datetime, owner=None,
                owner_role: str = "", priority: int = 3, detail: str = "", source: str = "") -> Task:
    """File a task; without a named owner, the nearest holder of owner_role on the region path owns it.

    Idempotent per open (kind, source): filing the same cause twice returns the open task.
    """
    item = {"title": title, "kind": kind, "region_path": region_path, "deadline": deadline, "owner": owner,
            "owner_role": owner_role, "priority": priority, "detail": detail, "source": source}
    return _create(actor, [item], rows=False)[0]


def task_create_many(*, actor, items: list[dict]) -> list[Task]:
    """task_create for many items (dicts of task_create's keywords) at once: the same checks (a refusal names its row),
    owners resolved once per (region, role, named owner), one insert and one audit entry for the batch; returns the
    tasks in the items' order (the open task of a (kind, source) filed already, or earlier in the batch)."""
    return _create(actor, items, rows=True)


def _checked(actor, items: list[dict], *, rows: bool) -> list[dict]:
    """The items with task_create's defaults filled in, after its checks (permission on each region, a title)."""
    out, allowed = [], set()
    for n, item in enumerate(items):
        unknown = set(item) - TASK_KEYS
        if unknown:
            raise TypeError(_("task_create_many: unknown keys %(keys)s") % {"keys": ", ".join(sorted(unknown))})
        item = {**TASK_DEFAULTS, **item}
        if item["region_path"] not in allowed:
            access.require(actor, "command.change", item["region_path"])
            allowed.add(item["region_path"])
        if not item["title"].strip():
            raise ServiceError.field("title", _("is required"), row=n if rows else None)
        out.append(item)
    return out


def _open_by_source(items: list[dict]) -> dict[tuple[str, str], Task]:
    """{(kind, source): the first open task} among the items' sources."""
    sources = sorted({item["source"] for item in items if item["source"]})
    found: dict[tuple[str, str], Task] = {}
    for i in range(0, len(sources), 1000):
        for task in Task.objects.filter(source__in=sources[i:i + 1000], status__in=OPEN).order_by("id"):
            found.setdefault((task.kind, task.source), task)
    return found


def _create(actor, items: list[dict], *, rows: bool) -> list[Task]:
    items = _checked(actor, items, rows=rows)
    existing = _open_by_source(items)
    at, owners, off = clock.now(), {}, None
    made: dict[int, Task] = {}  # item index -> its task
    new: list[Task] = []
    for n, item in enumerate(items):
        key = (item["kind"], item["source"])
        if item["source"] and key in existing:
            made[n] = existing[key]
            continue
        owner = item["owner"]
        who = (item["region_path"], item["owner_role"], owner.pk if owner is not None else None)
        if who not in owners:
            off = roster.off_duty_map(at) if off is None else off
            owners[who] = _resolve_owner(item["region_path"], item["owner_role"], owner, at=at, off=off)
        owner, deputy, path = owners[who]
        made[n] = Task(title=item["title"].strip(), kind=item["kind"], region_path=item["region_path"], deadline=item["deadline"],
                       owner=owner, deputy=deputy, owner_role=item["owner_role"], priority=item["priority"], detail=item["detail"],
                       source=item["source"], created_by=access.user_or_none(actor), resolution=[*path])
        new.append(made[n])
        if item["source"]:
            existing[key] = made[n]  # the same cause twice in one batch: one task
    if new:
        with transaction.atomic():
            Task.objects.bulk_create(new)
            _audit_created(actor, new)
    return [made[n] for n in range(len(items))]


def _audit_created(actor, tasks: list[Task]) -> None:
    """One entry: task.create naming the task when one was filed, else task.create_bulk with the counts and ids."""
    if len(tasks) == 1:
        task = tasks[0]
        audit.record(actor, "task.create", task, changes={"title": task.title, "kind": task.kind, "deadline": task.deadline,
                                                          "owner": task.owner_id, "deputy": task.deputy_id})
        return
    kinds: dict[str, int] = {}
    for task in tasks:
        kinds[task.kind] = kinds.get(task.kind, 0) + 1
    ids = [task.pk for task in tasks]
    audit.record(actor, "task.create_bulk", object_type="command.task", object_id=",".join(map(str, ids)),
                 region_path=audit.batch_path([task.region_path for task in tasks]),
                 changes={"count": len(tasks), "kinds": kinds, "ids": ids,
                          "owned": sum(1 for task in tasks if task.owner_id), "unowned": sum(1 for task in tasks if not task.owner_id)})


def _resolve_owner(region_path: str, owner_role: str, owner, *, at: dt.datetime, off: dict[int, str]):
    """(owner, deputy, recorded path): a named owner keeps the task (the roster names the deputy); otherwise the roster
    resolves the post (owner_role, else the region's own post) to the person on duty, the deputy or the superior post."""
    duty = roster.responsible_for(region_path=region_path, role=owner_role, at=at, exclude={owner.pk} if owner else (), off=off)
    stamp = at.isoformat()
    if owner is not None:
        return owner, duty.person, [{"at": stamp, "step": "named", "user": owner.pk, "name": rules.display_name(owner)}]
    return duty.person, duty.deputy, [{"at": stamp, **step} for step in duty.steps]


def _require_work(actor, task: Task) -> None:
    """Its owner and deputy start and finish their own task whatever their role; anyone else needs command.change."""
    me = access.user_or_none(actor)
    if me is None or me.pk not in (task.owner_id, task.deputy_id):
        access.require(actor, "command.change", task.region_path)


def task_close(*, actor, task: Task, result: str = "", cancelled: bool = False) -> Task:
    """Close a task as done (by its owner or deputy, or an officer with command.change) or cancel it (the officer)."""
    if cancelled:
        access.require(actor, "command.change", task.region_path)
    else:
        _require_work(actor, task)
    TASK_LIFECYCLE.step(task.status, TaskStatus.CANCELLED if cancelled else TaskStatus.DONE)
    with transaction.atomic():
        task.status = TaskStatus.CANCELLED if cancelled else TaskStatus.DONE
        task.done_at = clock.now()
        task.result = result
        task.save(update_fields=["status", "done_at", "result"])
        audit.record(actor, "task.close", task, changes={"status": task.status, "result": result})
    return task


def task_close_by_source(*, actor, source: str, kind: str | None = None, result: str = "resolved") -> int:
    """Close the open tasks a source filed (its cause is gone); returns how many."""
    qs = Task.objects.filter(source=source, status__in=OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    n = 0
    for task in qs:
        task_close(actor=SYSTEM, task=task, result=result)
        n += 1
    return n


def task_close_by_sources(*, actor, sources, result: str = "resolved") -> int:
    """task_close_by_source for many sources at once: their open tasks closed as done with one UPDATE per 1,000 sources
    and one audit entry for the batch (task.close naming the task when there was one); returns how many."""
    sources = sorted(set(sources))
    ids = [pk for i in range(0, len(sources), 1000)
           for pk in Task.objects.filter(source__in=sources[i:i + 1000], status__in=OPEN).order_by("id").values_list("pk", flat=True)]
    if not ids:
        return 0
    if len(ids) == 1:
        task_close(actor=actor, task=Task.objects.get(pk=ids[0]), result=result)
        return 1
    now = clock.now()
    with transaction.atomic():
        paths = []
        for i in range(0, len(ids), 1000):
            part = Task.objects.filter(pk__in=ids[i:i + 1000], status__in=OPEN)
            paths.extend(part.values_list("region_path", flat=True))
            part.update(status=TaskStatus.DONE, done_at=now, result=result)
        audit.record(actor, "task.close_bulk", object_type="command.task", object_id=",".join(map(str, ids)),
                     region_path=audit.batch_path(paths), changes={"status": TaskStatus.DONE, "result": result, "count": len(ids), "ids": ids})
    return len(ids)


def task_create_manual(*, actor, title: str, region_path: str, deadline: dt.datetime, owner_id=None, priority: int = 3,
                       detail: str = "", deputy_id=None) -> Task:
    """File a task by hand; its owner (and optional deputy) become its named responsibility."""
    known_region(region_path)
    require_change(actor, region_path)
    if deadline is None:
        raise ServiceError.field("deadline", _("is required"))
    if priority not in (1, 2, 3):
        raise ServiceError.field("priority", _("must be 1, 2 or 3"))
    owner = user(owner_id, "owner")
    deputy = user(deputy_id, "deputy")
    with transaction.atomic():
        task = task_create(actor=actor, title=title, kind="manual", region_path=region_path, deadline=deadline, owner=owner,
                           priority=priority, detail=detail)
        if deputy is not None and task.deputy_id != deputy.pk:  # the deputy named by hand, not the roster's
            task.deputy = deputy
            task.save(update_fields=["deputy"])
        if task.owner_id:
            responsibility.responsibility_assign(actor=actor, object_type="task", object_id=str(task.pk), region_path=region_path,
                                                 label=task.title, responsible_id=task.owner_id,
                                                 deputy_id=deputy.pk if deputy else None)
    return task


def task_start(*, actor, task: Task) -> Task:
    """The owner (or deputy, or an officer with command.change) takes a task in hand."""
    _require_work(actor, task)
    TASK_LIFECYCLE.step(task.status, TaskStatus.IN_PROGRESS)
    with transaction.atomic():
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
        audit.record(actor, "task.start", task)
    return task


def task_reassign(*, actor, task: Task, owner_id) -> Task:
    """Give an open task to another owner."""
    access.require(actor, "command.change", task.region_path)
    _require_open(task)
    owner = user(owner_id, "owner")
    if owner is None:
        raise ServiceError.field("owner", _("is required"))
    with transaction.atomic():
        before = task.owner_id
        task.owner = owner
        task.save(update_fields=["owner"])
        audit.record(actor, "task.reassign", task, changes={"from": before, "to": owner.pk})
    notify_user(owner, f"任务「{task.title}」已转交给您办理，时限 {clock.local(task.deadline):%m-%d %H:%M}", "task.assigned")
    return task


# --- escalation ----------------------------------------------------------------------------------------

def _post_depth(u, region_path: str) -> int:
    """Depth of the deepest post the user holds on the path of `region_path` (0 when none)."""
    best = 0
    for path in u.posts.filter(active=True).values_list("region__path", flat=True):
        if region_path == path or region_path.startswith(path + "."):
            best = max(best, path.count(".") + 1)
    return best


def _superior(task: Task):
    """The on-duty holder of the first post above the task's current owner on the task's region path (off-duty and vacant
    posts pass it further up, as the roster resolves)."""
    depth = len(task.region_path.split(".")) + 1
    if task.owner_id:
        depth = _post_depth(task.owner, task.region_path) or depth
    paths = rules.superior_paths(task.region_path, below_depth=depth)
    if not paths:
        return None
    return roster.responsible_for(region_path=paths[0], exclude={task.owner_id} if task.owner_id else ()).person


def task_escalate(*, actor, task: Task, reason: str = "overdue", now: dt.datetime | None = None) -> Task:
    """Move a task to the superior post on its region path (上报上级岗位); level +1, audited, both notified."""
    access.require(actor, "command.change", task.region_path)
    _require_open(task)
    superior = _superior(task)
    if superior is None:
        raise ServiceError.field("owner", _("no superior post above the current owner on this region path"), code="top")
    now = now or clock.now()
    previous = task.owner
    with transaction.atomic():
        task.owner = superior
        task.escalation_level += 1
        task.escalated_at = now
        task.resolution = [*task.resolution, {"at": now.isoformat(), "step": "escalated", "from": previous.pk if previous else None,
                                              "user": superior.pk, "name": rules.display_name(superior), "reason": reason}]
        task.save(update_fields=["owner", "escalation_level", "escalated_at", "resolution"])
        audit.record(actor, "task.escalate", task, changes={"from": previous.pk if previous else None, "to": superior.pk,
                                                            "level": task.escalation_level, "reason": reason})
    notify_user(superior, f"[督办升级{task.escalation_level}级] 任务「{task.title}」已超时，原责任人：{rules.display_name(previous) or '未指定'}",
                "task.escalated")
    if previous is not None:
        notify_user(previous, f"任务「{task.title}」已超时并上报至 {rules.display_name(superior)}", "task.escalated")
    return task


def tasks_escalate_overdue(*, now: dt.datetime | None = None) -> dict:
    """The escalation job: escalate every overdue open task that is due for it; remind owners of tasks due soon."""
    now = now or clock.now()
    ruleset = policy.in_force(now)
    every = float(ruleset.get("command.escalate_every_hours", 4))
    max_level = int(ruleset.get("command.max_escalation_level", 4))
    before = float(ruleset.get("command.remind_hours_before_deadline", 2))
    escalated = stuck = reminded = 0
    overdue = Task.objects.filter(status__in=OPEN, deadline__lt=now,
                                  escalation_level__lt=max_level).select_related("owner").order_by("deadline")
    for task in overdue.iterator():
        if not rules.escalation_due(deadline=task.deadline, escalated_at=task.escalated_at, level=task.escalation_level, now=now,
                                    every_hours=every, max_level=max_level):
            continue
        try:
            task_escalate(actor=SYSTEM, task=task, now=now)
            escalated += 1
        except ServiceError:
            stuck += 1
    soon = Task.objects.filter(status__in=OPEN, reminded_at__isnull=True,
                               deadline__gte=now, deadline__lte=now + dt.timedelta(hours=before)).select_related("owner")
    for task in soon.iterator():
        notify_user(task.owner, f"任务「{task.title}」将于 {clock.local(task.deadline):%m-%d %H:%M} 到期，请按时办结", "task.reminder")
        Task.objects.filter(pk=task.pk).update(reminded_at=now)
        reminded += 1
    if escalated or reminded:
        with transaction.atomic():
            audit.record(SYSTEM, "task.escalation_run", object_type="command.task",
                         changes={"escalated": escalated, "at_top": stuck, "reminded": reminded})
    return {"escalated": escalated, "at_top": stuck, "reminded": reminded}
