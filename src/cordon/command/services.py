"""Writes for tasks. Modules file tasks here (task_create) and close them when their cause is gone
(task_close_by_source), so an overdue step always has a named owner and a deadline."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cordon.command.models import (
    DailyReport,
    DispatchMatch,
    DispatchPost,
    Evidence,
    Inspection,
    LedgerItem,
    MetricSnapshot,
    Responsibility,
    Task,
    TaskStatus,
)
from cordon.core import access, audit, clock
from cordon.core.errors import NotFound, ServiceError

SYSTEM = access.system("command")  # this module's work that no user clicked


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
    access.require(actor, "command.change", task.region_path)
    if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise ServiceError.field("status", "the task is closed already", code="closed")
    with transaction.atomic():
        task.status = TaskStatus.CANCELLED if cancelled else TaskStatus.DONE
        task.done_at = clock.now()
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
        task_close(actor=SYSTEM, task=task, result=result)
        n += 1
    return n


# --- helpers -----------------------------------------------------------------------------------------

def _user(user_id, field: str, *, row: int | None = None):
    from django.contrib.auth import get_user_model

    if user_id in (None, ""):
        return None
    try:
        return get_user_model().objects.get(pk=int(getattr(user_id, "pk", user_id)), is_active=True)
    except (ValueError, TypeError, get_user_model().DoesNotExist):
        raise ServiceError.field(field, f"no active user {user_id}", row=row) from None


def _region_path(region_path: str, field: str = "region_path") -> str:
    from cordon.regions.models import Region

    if not region_path or not Region.objects.filter(path=region_path).exists():
        raise ServiceError.field(field, f"unknown region {region_path!r}")
    return region_path


def _require_change(actor, region_path: str) -> None:
    """command.change at a region named in a write: a region outside the actor's view does not exist for them (404)."""
    if not access.can(actor, "command.view", region_path):
        raise NotFound.field("region_path", "no such region", code="unknown_region")
    access.require(actor, "command.change", region_path)


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _notify_user(user, message: str, kind: str) -> None:
    from cordon.accounts.models import Post
    from cordon.core.notify import notifier

    if user is None:
        return
    phone = Post.objects.filter(user=user, active=True).exclude(phone="").values_list("phone", flat=True).first() or ""
    notifier().send(phone=phone, message=message, kind=kind)


# --- tasks -------------------------------------------------------------------------------------------

ESCALATION_ROLES = ("grid_worker", "community_worker", "street_officer", "district_officer", "city_commander")


def _post_depth(user, region_path: str) -> int:
    """Depth of the deepest post the user holds on the path of `region_path` (0 when none)."""
    from cordon.accounts.models import Post

    best = 0
    for path in Post.objects.filter(user=user, active=True).values_list("region__path", flat=True):
        if region_path == path or region_path.startswith(path + "."):
            best = max(best, path.count(".") + 1)
    return best


def _superior(task: Task):
    """The first active post holder above the task's current owner on the task's region path."""
    from cordon.accounts.models import Post
    from cordon.command import rules

    depth = len(task.region_path.split(".")) + 1
    if task.owner_id:
        depth = _post_depth(task.owner, task.region_path) or depth
    for path in rules.superior_paths(task.region_path, below_depth=depth):
        post = (Post.objects.filter(region__path=path, role__in=ESCALATION_ROLES[2:], active=True)
                .exclude(user_id=task.owner_id).select_related("user").order_by("id").first())
        if post:
            return post.user
    return None


def task_create_manual(*, actor, title: str, region_path: str, deadline: dt.datetime, owner_id=None, priority: int = 3,
                       detail: str = "", deputy_id=None) -> Task:
    """File a task by hand; its owner (and optional deputy) become its named responsibility."""
    _region_path(region_path)
    _require_change(actor, region_path)
    if deadline is None:
        raise ServiceError.field("deadline", "is required")
    if priority not in (1, 2, 3):
        raise ServiceError.field("priority", "must be 1, 2 or 3")
    owner = _user(owner_id, "owner")
    deputy = _user(deputy_id, "deputy")
    with transaction.atomic():
        task = task_create(actor=actor, title=title, kind="manual", region_path=region_path, deadline=deadline, owner=owner,
                           priority=priority, detail=detail)
        if task.owner_id:
            responsibility_assign(actor=actor, object_type="task", object_id=str(task.pk), region_path=region_path,
                                  label=task.title, responsible_id=task.owner_id, deputy_id=deputy.pk if deputy else None)
    return task


def task_start(*, actor, task: Task) -> Task:
    """The owner takes a task in hand."""
    access.require(actor, "command.change", task.region_path)
    if task.status != TaskStatus.OPEN:
        raise ServiceError.field("status", "only an open task can be started", code="state")
    with transaction.atomic():
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
        audit.record(actor, "task.start", task)
    return task


def task_reassign(*, actor, task: Task, owner_id) -> Task:
    """Give an open task to another owner."""
    access.require(actor, "command.change", task.region_path)
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        raise ServiceError.field("status", "the task is closed already", code="closed")
    owner = _user(owner_id, "owner")
    if owner is None:
        raise ServiceError.field("owner", "is required")
    with transaction.atomic():
        before = task.owner_id
        task.owner = owner
        task.save(update_fields=["owner"])
        audit.record(actor, "task.reassign", task, changes={"from": before, "to": owner.pk})
    _notify_user(owner, f"任务「{task.title}」已转交给您办理，时限 {clock.local(task.deadline):%m-%d %H:%M}", "task.assigned")
    return task


def task_escalate(*, actor, task: Task, reason: str = "overdue", now: dt.datetime | None = None) -> Task:
    """Move a task to the superior post on its region path (上报上级岗位); level +1, audited, both notified."""
    access.require(actor, "command.change", task.region_path)
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        raise ServiceError.field("status", "the task is closed already", code="closed")
    superior = _superior(task)
    if superior is None:
        raise ServiceError.field("owner", "no superior post above the current owner on this region path", code="top")
    now = now or clock.now()
    previous = task.owner
    with transaction.atomic():
        task.owner = superior
        task.escalation_level += 1
        task.escalated_at = now
        task.save(update_fields=["owner", "escalation_level", "escalated_at"])
        audit.record(actor, "task.escalate", task, changes={"from": previous.pk if previous else None, "to": superior.pk,
                                                            "level": task.escalation_level, "reason": reason})
    _notify_user(superior, f"[督办升级{task.escalation_level}级] 任务「{task.title}」已超时，原责任人：{_name(previous) or '未指定'}",
                 "task.escalated")
    if previous is not None:
        _notify_user(previous, f"任务「{task.title}」已超时并上报至 {_name(superior)}", "task.escalated")
    return task


def tasks_escalate_overdue(*, now: dt.datetime | None = None) -> dict:
    """The escalation job: escalate every overdue open task that is due for it; remind owners of tasks due soon."""
    from cordon.command import rules
    from cordon.core import policy

    now = now or clock.now()
    ruleset = policy.in_force(now)
    every = float(ruleset.get("command.escalate_every_hours", 4))
    max_level = int(ruleset.get("command.max_escalation_level", 4))
    before = float(ruleset.get("command.remind_hours_before_deadline", 2))
    escalated = stuck = reminded = 0
    overdue = Task.objects.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], deadline__lt=now,
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
    soon = Task.objects.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], reminded_at__isnull=True,
                               deadline__gte=now, deadline__lte=now + dt.timedelta(hours=before)).select_related("owner")
    for task in soon.iterator():
        _notify_user(task.owner, f"任务「{task.title}」将于 {clock.local(task.deadline):%m-%d %H:%M} 到期，请按时办结", "task.reminder")
        Task.objects.filter(pk=task.pk).update(reminded_at=now)
        reminded += 1
    if escalated or reminded:
        with transaction.atomic():
            audit.record(SYSTEM, "task.escalation_run", object_type="command.task",
                         changes={"escalated": escalated, "at_top": stuck, "reminded": reminded})
    return {"escalated": escalated, "at_top": stuck, "reminded": reminded}


# --- responsibility (包保) -----------------------------------------------------------------------------

def _object_region(object_type: str, object_id: str) -> str | None:
    """Region path of a named object, when its module exists; None when unknown."""
    from django.apps import apps

    models_by_type = {"zone": ("zones", "Zone"), "site": ("quarantine", "Site"), "checkpoint": ("checkpoints", "Checkpoint"),
                      "round": ("screening", "Round"), "task": ("command", "Task"), "venue": ("venues", "Venue")}
    if object_type not in models_by_type or not object_id:
        return None
    try:
        model = apps.get_model(*models_by_type[object_type])
    except LookupError:
        return None
    try:
        obj = model.objects.filter(pk=int(object_id)).first()
    except ValueError:
        raise ServiceError.field("object_id", "must be a number") from None
    if obj is None:
        raise ServiceError.field("object_id", f"no {object_type} {object_id}")
    return obj.region_path


def responsibility_assign(*, actor, object_type: str, region_path: str = "", label: str, responsible_id, object_id: str = "",
                          deputy_id=None, phone: str = "") -> "Responsibility":
    """Name the responsible person and deputy for an object (包保); the previous assignment ends and stays in history."""
    from cordon.command.enums import ObjectType

    if object_type not in ObjectType.values:
        raise ServiceError.field("object_type", f"must be one of {', '.join(ObjectType.values)}")
    object_id = str(object_id or "").strip()
    found = _object_region(object_type, object_id)
    region_path = found or _region_path(region_path)
    _require_change(actor, region_path)
    if not label.strip():
        raise ServiceError.field("label", "is required")
    responsible = _user(responsible_id, "responsible")
    if responsible is None:
        raise ServiceError.field("responsible", "is required")
    deputy = _user(deputy_id, "deputy")
    if deputy is not None and deputy.pk == responsible.pk:
        raise ServiceError.field("deputy", "must be someone other than the responsible person")
    now = clock.now()
    with transaction.atomic():
        current = Responsibility.objects.select_for_update().filter(object_type=object_type, object_id=object_id,
                                                                     region_path=region_path, active=True).first()
        if current and current.responsible_id == responsible.pk and current.deputy_id == (deputy.pk if deputy else None):
            return current
        if current:
            current.active, current.ended_at = False, now
            current.save(update_fields=["active", "ended_at"])
        obj = Responsibility.objects.create(object_type=object_type, object_id=object_id, region_path=region_path, label=label.strip(),
                                            responsible=responsible, deputy=deputy, phone=phone,
                                            assigned_by=actor if _is_user(actor) else None)
        audit.record(actor, "responsibility.assign", obj, changes={"object": f"{object_type}:{object_id}", "responsible": responsible.pk,
                                                                   "deputy": deputy.pk if deputy else None,
                                                                   "replaced": current.pk if current else None})
    return obj


def responsibility_end(*, actor, responsibility) -> "Responsibility":
    """End a responsibility (the object is gone or handed over)."""
    access.require(actor, "command.change", responsibility.region_path)
    if not responsibility.active:
        raise ServiceError.field("active", "already ended", code="closed")
    with transaction.atomic():
        responsibility.active, responsibility.ended_at = False, clock.now()
        responsibility.save(update_fields=["active", "ended_at"])
        audit.record(actor, "responsibility.end", responsibility)
    return responsibility


# --- supervision ledger (挂账销号) ------------------------------------------------------------------

def _parse_dt(value, field: str, *, row: int | None = None):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else clock.aware(value)
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ServiceError.field(field, "not a date and time (YYYY-MM-DD HH:MM)", row=row) from None
    return parsed if timezone.is_aware(parsed) else clock.aware(parsed)


def inspection_record(*, actor, region_path: str, place: str, at=None, checklist: list | None = None, note: str = "",
                      findings: list | None = None) -> "Inspection":
    """Record an inspection and put each finding on the ledger with a rectification owner and deadline.

    findings: [{"title", "detail"?, "severity": minor|serious|severe, "owner_id", "deadline"?}] - validated
    together, nothing written when one row is bad; severe findings go on public tracking by the rule set.
    """
    from cordon.command import rules
    from cordon.command.enums import Severity
    from cordon.core import policy

    _region_path(region_path)
    _require_change(actor, region_path)
    if not (place or "").strip():
        raise ServiceError.field("place", "is required")
    at = _parse_dt(at, "at") or clock.now()
    checklist_rows = []
    for n, item in enumerate(checklist or [], start=1):
        if not isinstance(item, dict) or not str(item.get("item", "")).strip():
            raise ServiceError.field("checklist", "each line needs an item", row=n)
        checklist_rows.append({"item": str(item["item"]).strip(), "ok": bool(item.get("ok")), "note": str(item.get("note", ""))})
    ruleset = policy.in_force(at)
    hours = ruleset.get("command.ledger_deadline_hours", {}) or {}
    public = set(ruleset.get("command.public_tracking_severities", ["severe"]) or [])
    rows, errors = [], []
    for n, f in enumerate(findings or [], start=1):
        try:
            if not str(f.get("title", "")).strip():
                raise ServiceError.field("title", "is required", row=n)
            severity = f.get("severity") or Severity.MINOR
            if severity not in Severity.values:
                raise ServiceError.field("severity", f"must be one of {', '.join(Severity.values)}", row=n)
            owner = _user(f.get("owner_id"), "owner_id", row=n)
            if owner is None:
                raise ServiceError.field("owner_id", "a rectification owner is required", row=n)
            deadline = _parse_dt(f.get("deadline"), "deadline", row=n) or rules.ledger_deadline(
                severity=severity, found_at=at, hours_by_severity=hours)
            if deadline <= at:
                raise ServiceError.field("deadline", "must be after the inspection", row=n)
            rows.append({"title": str(f["title"]).strip(), "detail": str(f.get("detail", "")), "severity": severity, "owner": owner,
                         "deadline": deadline, "public_tracking": bool(f.get("public_tracking")) or severity in public})
        except ServiceError as exc:
            errors.extend(exc.fields)
    if errors:
        raise ServiceError(f"{len(errors)} finding(s) invalid: " + "; ".join(f"row {e.get('row')}, {e['field']}: {e['message']}"
                                                                          for e in errors), fields=errors)
    with transaction.atomic():
        insp = Inspection.objects.create(region_path=region_path, place=place.strip(), inspector=actor, at=at,
                                         checklist=checklist_rows, note=note)
        items = [LedgerItem.objects.create(inspection=insp, region_path=region_path, **r) for r in rows]
        audit.record(actor, "inspection.record", insp, changes={"place": insp.place, "findings": len(items),
                                                                "failed_checks": sum(1 for c in checklist_rows if not c["ok"])})
    for item in items:
        _notify_user(item.owner, f"督导发现问题「{item.title}」，请于 {clock.local(item.deadline):%m-%d %H:%M} 前整改", "ledger.assigned")
    return insp


def evidence_add(*, actor, item, upload, stage: str = "finding") -> "Evidence":
    """Attach a photo or file to a ledger item (stored in default storage)."""

    access.require(actor, "command.change", item.region_path)
    if stage not in ("finding", "rectification", "reinspection"):
        raise ServiceError.field("stage", "must be finding, rectification or reinspection")
    if upload is None:
        raise ServiceError.field("file", "choose a file")
    if upload.size > 10 * 1024 * 1024:
        raise ServiceError.field("file", "larger than 10 MB")
    with transaction.atomic():
        ev = Evidence.objects.create(item=item, file=upload, name=(upload.name or "file")[:200], stage=stage, uploaded_by=access.user_or_none(actor))
        audit.record(actor, "ledger.evidence", item, changes={"evidence": ev.pk, "name": ev.name, "stage": stage})
    return ev


def ledger_rectify(*, actor, item, rectification: str) -> "LedgerItem":
    """The owner reports the rectification done; the item waits for re-inspection."""
    access.require(actor, "command.change", item.region_path)
    if item.status != "open":
        raise ServiceError.field("status", "only an open item can be reported rectified", code="state")
    if not (rectification or "").strip():
        raise ServiceError.field("rectification", "describe what was done")
    with transaction.atomic():
        item.status, item.rectification, item.rectified_at = "rectified", rectification.strip(), clock.now()
        item.rectified_by = access.user_or_none(actor)
        item.save(update_fields=["status", "rectification", "rectified_at", "rectified_by"])
        audit.record(actor, "ledger.rectify", item, changes={"rectification": item.rectification})
    return item


def ledger_reinspect(*, actor, item, passed: bool, note: str = "", new_deadline=None) -> "LedgerItem":
    """Re-inspect a rectified item: passed closes it (销号); failed puts it back open with a new deadline."""
    access.require(actor, "command.change", item.region_path)
    if item.status != "rectified":
        raise ServiceError.field("status", "only a rectified item can be re-inspected", code="state")
    if actor is not None and item.rectified_by_id is not None and getattr(actor, "pk", None) == item.rectified_by_id:
        # 挂账销号: whoever did the rectification never verifies and closes it themselves
        raise ServiceError.field("actor", "the person who rectified an item cannot re-inspect it; another officer must",
                                 code="own_rectification")
    now = clock.now()
    with transaction.atomic():
        item.reinspection_note = note
        if passed:
            item.status, item.closed_at, item.closed_by = "closed", now, access.user_or_none(actor)
        else:
            deadline = _parse_dt(new_deadline, "new_deadline")
            if deadline is None or deadline <= now:
                raise ServiceError.field("new_deadline", "a failed re-inspection needs a new deadline in the future")
            item.status, item.deadline = "open", deadline
        item.save(update_fields=["status", "closed_at", "closed_by", "deadline", "reinspection_note"])
        audit.record(actor, "ledger.close" if passed else "ledger.reopen", item, changes={"note": note})
    return item


def ledger_flag(*, actor, item, public: bool) -> "LedgerItem":
    """Put an item on (or take it off) public tracking (挂牌督办)."""
    access.require(actor, "command.approve", item.region_path)
    with transaction.atomic():
        item.public_tracking = bool(public)
        item.save(update_fields=["public_tracking"])
        audit.record(actor, "ledger.flag", item, changes={"public_tracking": item.public_tracking})
    return item


# --- cross-district dispatch ---------------------------------------------------------------------------

def dispatch_post(*, actor, side: str, resource: str, quantity: int, region_path: str, start: dt.date, end: dt.date,
                  note: str = "") -> "DispatchPost":
    """A district posts a request for (or an offer of) people, rooms, supplies or lab capacity."""
    from cordon.command.enums import PostSide, Resource
    from cordon.regions.selectors import district_of

    if side not in PostSide.values:
        raise ServiceError.field("side", "must be request or offer")
    if resource not in Resource.values:
        raise ServiceError.field("resource", f"must be one of {', '.join(Resource.values)}")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise ServiceError.field("quantity", "must be a whole number") from None
    if quantity <= 0:
        raise ServiceError.field("quantity", "must be more than 0")
    _region_path(region_path)
    if region_path.count(".") < 1:
        raise ServiceError.field("region_path", "post for a district (or below), not the whole city")
    _require_change(actor, region_path)
    if start is None or end is None or end < start:
        raise ServiceError.field("end", "must be on or after start")
    with transaction.atomic():
        post = DispatchPost.objects.create(side=side, resource=resource, quantity=quantity, remaining=quantity,
                                           region_path=district_of(region_path), start=start, end=end, note=note, posted_by=access.user_or_none(actor))
        audit.record(actor, "dispatch.post", post, changes={"side": side, "resource": resource, "quantity": quantity})
    return post


def dispatch_suggest(*, actor) -> list:
    """Suggest loans for the open requests and offers the actor can see (Hungarian assignment on distance);
    each suggestion reserves the quantity on both sides until approved or rejected."""
    from cordon.command import rules
    from cordon.regions.models import Region

    access.require(actor, "command.change")
    posts = list(DispatchPost.objects.visible_to(actor, "view").filter(status="open", remaining__gt=0,
                                                                        end__gte=clock.today()))
    where = {r["path"]: (r["lon"], r["lat"]) for r in Region.objects.filter(path__in={p.region_path for p in posts}).values("path", "lon", "lat")}

    def item(p):
        lon, lat = where.get(p.region_path, (None, None))
        return {"id": p.pk, "district": p.region_path, "resource": p.resource, "remaining": p.remaining, "lon": lon, "lat": lat}

    suggestions = rules.suggest_matches([item(p) for p in posts if p.side == "request"], [item(p) for p in posts if p.side == "offer"])
    by_id = {p.pk: p for p in posts}
    made = []
    with transaction.atomic():
        for s in suggestions:
            req = DispatchPost.objects.select_for_update().get(pk=s["request"])
            off = DispatchPost.objects.select_for_update().get(pk=s["offer"])
            qty = min(s["quantity"], req.remaining, off.remaining)
            if qty <= 0:
                continue
            match = DispatchMatch.objects.create(request=req, offer=off, region_path=off.region_path, borrower_path=req.region_path,
                                                 resource=req.resource, quantity=qty, distance_km=s["distance_km"],
                                                 due_back=max(req.end, off.start))
            for p in (req, off):
                p.remaining -= qty
                p.status = "matched" if p.remaining == 0 else "open"
                p.save(update_fields=["remaining", "status"])
            made.append(match)
        if made:
            audit.record(actor, "dispatch.suggest", object_type="command.dispatchmatch",
                         changes={"matches": [m.pk for m in made], "posts": len(by_id)})
    return made


def _release(match) -> None:

    for p in (DispatchPost.objects.select_for_update().get(pk=match.request_id), DispatchPost.objects.select_for_update().get(pk=match.offer_id)):
        p.remaining = min(p.quantity, p.remaining + match.quantity)
        p.status = "open" if p.end >= clock.today() else "closed"
        p.save(update_fields=["remaining", "status"])


def dispatch_decide(*, actor, match, approve: bool, note: str = "", due_back: dt.date | None = None):
    """The lending district (or the city) approves or rejects a suggested loan."""
    access.require(actor, "command.approve", match.region_path)
    if match.status != "proposed":
        raise ServiceError.field("status", "only a proposed match can be decided", code="state")
    with transaction.atomic():
        match.note = note
        if approve:
            match.status, match.approved_by, match.approved_at = "approved", actor, clock.now()
            if due_back:
                match.due_back = due_back
        else:
            match.status = "rejected"
            _release(match)
        match.save(update_fields=["status", "approved_by", "approved_at", "note", "due_back"])
        audit.record(actor, "dispatch.approve" if approve else "dispatch.reject", match, changes={"note": note})
    return match


def dispatch_advance(*, actor, match):
    """Track an approved loan: approved -> dispatched (sent) -> returned (back home)."""
    access.require(actor, "command.change", match.region_path)
    now = clock.now()
    with transaction.atomic():
        if match.status == "approved":
            match.status, match.dispatched_at = "dispatched", now
        elif match.status == "dispatched":
            match.status, match.returned_at = "returned", now

            offer = DispatchPost.objects.select_for_update().get(pk=match.offer_id)
            if offer.end >= clock.today():
                offer.remaining = min(offer.quantity, offer.remaining + match.quantity)
                offer.status = "open"
                offer.save(update_fields=["remaining", "status"])
        else:
            raise ServiceError.field("status", f"a {match.status} match cannot move on", code="state")
        match.save(update_fields=["status", "dispatched_at", "returned_at"])
        audit.record(actor, f"dispatch.{match.status}", match)
    return match


# --- metric snapshots and daily reports ------------------------------------------------------------------

def snapshot_take(*, cut_off: dt.datetime | None = None, region_paths: list[str] | None = None) -> list:
    """Compute and store the figures of the city and every district at a cut-off (the dashboard reads only these)."""
    import time

    from cordon.command import metrics
    from cordon.regions.models import Level, Region

    cut_off = (cut_off or clock.now()).replace(second=0, microsecond=0)
    if region_paths is None:
        region_paths = list(Region.objects.filter(level__in=[Level.CITY, Level.DISTRICT]).order_by("level", "path")
                            .values_list("path", flat=True))
    out = []
    for path in region_paths:
        started = time.perf_counter()
        data = metrics.snapshot_data(region_path=path, cut_off=cut_off)
        snap, _ = MetricSnapshot.objects.update_or_create(region_path=path, cut_off=cut_off, defaults={
            "data": json_safe(data), "seconds": round(time.perf_counter() - started, 3)})
        out.append(snap)
    return out


def json_safe(value):
    """Plain JSON values (dates as ISO text)."""
    import json

    return json.loads(json.dumps(value, default=str))


def figures_at(*, region_path: str, cut_off: dt.datetime) -> dict:
    """The figures for a region at an exact cut-off: the stored snapshot, taken now if missing (same definition either way)."""

    cut_off = cut_off.replace(second=0, microsecond=0)
    snap = MetricSnapshot.objects.filter(region_path=region_path, cut_off=cut_off).first()
    if snap is None:
        snap = snapshot_take(cut_off=cut_off, region_paths=[region_path])[0]
    return snap.data["figures"]


def report_cut_off(report_date: dt.date) -> dt.datetime:
    """Reports cover the day 0-24h: the cut-off is midnight at the end of the day."""
    return dt.datetime.combine(report_date + dt.timedelta(days=1), dt.time.min, tzinfo=clock.zone())


def report_generate(*, actor, report_date: dt.date, region_path: str = "", remarks: str = "") -> "DailyReport":
    """Generate the daily situation report (每日疫情防控工作情况报告) from the figures at the day's cut-off; a new version each time."""
    from django.db.models import Max

    from cordon.core import policy
    from cordon.regions.models import Region
    from cordon.regions.selectors import root_path

    region_path = region_path or root_path()
    region = Region.objects.filter(path=region_path).first()
    if region is None:
        raise ServiceError.field("region_path", f"unknown region {region_path!r}")
    _require_change(actor, region_path)
    if report_date is None or report_date > clock.today():
        raise ServiceError.field("report_date", "must be today or earlier")
    cut_off = report_cut_off(report_date)
    figures = figures_at(region_path=region_path, cut_off=min(cut_off, clock.now()))
    ruleset = policy.in_force(report_date)
    with transaction.atomic():
        version = (DailyReport.objects.filter(region_path=region_path, report_date=report_date).aggregate(v=Max("version"))["v"] or 0) + 1
        seq = DailyReport.objects.filter(region_path=region_path, report_date__year=report_date.year, version=1).count() + (1 if version == 1 else 0)
        if version > 1:
            seq = DailyReport.objects.filter(region_path=region_path, report_date=report_date, version=1).values_list("number", flat=True).first()
        prefix = region.name[:2] + ruleset.get("command.report_number_prefix", "防指")
        number = seq if isinstance(seq, str) else f"{prefix}〔{report_date.year}〕{seq}号"
        report = DailyReport.objects.create(
            region_path=region_path, report_date=report_date, cut_off=cut_off, version=version, number=number,
            title=f"关于{report_date.month}月{report_date.day}日{region.name}疫情防控工作情况的报告",
            data={"figures": figures, "issuer": f"{region.name}{ruleset.get('command.report_issuer', '疫情防控指挥部')}",
                  "region": region.name, "ruleset": ruleset.code, "late": _late_summary(region_path, cut_off)},
            remarks=remarks, created_by=actor if _is_user(actor) else None)
        audit.record(actor, "report.generate", report, changes={"date": report_date, "version": version, "number": number})
    return report


def _late_summary(region_path: str, cut_off: dt.datetime) -> dict:
    from cordon.command import metrics

    return json_safe(metrics.late_items(region_path=region_path, cut_off=min(cut_off, clock.now()), limit=10))
