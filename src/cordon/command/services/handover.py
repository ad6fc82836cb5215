"""Hand-over (交接): an officer taken out (unavailable, on leave, a contact under measures, in a sealed zone) hands
everything they answer for to the deputy of each item, or to one chosen successor, in one step. The responsibilities
end and new ones start (history rows), open tasks change owner with the re-resolution appended to their path, current
and future shifts pass on, and one HandOver row lists every item moved."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cordon.command import rules
from cordon.command.models import (
    DutyShift,
    HandOver,
    OffDuty,
    OfficerPerson,
    Responsibility,
    Task,
    TaskStatus,
)
from cordon.command.services import roster
from cordon.command.services.common import SYSTEM, notify_user, user
from cordon.command.services.tasks import task_create
from cordon.core import access, audit, clock
from cordon.core.errors import NotFound, ServiceError

OPEN = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]


def answers_for(*, user_id: int, at: dt.datetime | None = None) -> dict:
    """Everything a person answers for now: responsibilities (as responsible and as deputy), open tasks (owner, deputy), shifts
    now and ahead. Unscoped: callers check the actor's right over the person first."""
    at = at or clock.now()
    active = Responsibility.objects.filter(active=True).select_related("responsible", "deputy").order_by("region_path", "id")
    tasks = Task.objects.filter(status__in=OPEN).select_related("owner", "deputy").order_by("deadline")
    shifts = DutyShift.objects.filter(end__gt=at).select_related("user", "deputy").order_by("start")
    return {
        "responsible": list(active.filter(responsible_id=user_id)),
        "deputy": list(active.filter(deputy_id=user_id)),
        "tasks": list(tasks.filter(owner_id=user_id)),
        "deputy_tasks": list(tasks.filter(deputy_id=user_id)),
        "shifts": list(shifts.filter(Q(user_id=user_id) | Q(deputy_id=user_id))),
    }


def _next(explicit, *, object_type="", object_id="", region_path: str, role: str = "", leaving: int, at, also_not=()):
    """The chosen successor, else who the roster names for the object once the leaving officer is out."""
    if explicit is not None:
        return explicit
    return roster.responsible_for(object_type=object_type, object_id=object_id, region_path=region_path, role=role, at=at,
                                  exclude={leaving, *also_not}).person


def _hand_responsibilities(held, *, leaving, successor, by, at, moved: list) -> None:
    for r in held["responsible"]:
        to = successor or (r.deputy if r.deputy_id else None) or _next(None, object_type=r.object_type, object_id=r.object_id,
                                                                       region_path=r.region_path, leaving=leaving.pk, at=at)
        if to is None:
            raise ServiceError.field("successor", _("nobody can take over %(name)s: name a successor") % {"name": r.label})
        deputy = r.deputy if r.deputy_id and r.deputy_id != to.pk else None
        _replace(r, responsible=to, deputy=deputy, by=by, at=at)
        moved.append({"kind": "responsibility", "id": r.pk, "label": r.label, "to": to.pk, "as": "responsible"})
    for r in held["deputy"]:
        if r.responsible_id == leaving.pk:
            continue
        to = successor if successor is not None and successor.pk != r.responsible_id else None
        _replace(r, responsible=r.responsible, deputy=to, by=by, at=at)
        moved.append({"kind": "responsibility", "id": r.pk, "label": r.label, "to": to.pk if to else None, "as": "deputy"})


def _replace(r: Responsibility, *, responsible, deputy, by, at) -> None:
    r.active, r.ended_at = False, at
    r.save(update_fields=["active", "ended_at"])
    Responsibility.objects.create(object_type=r.object_type, object_id=r.object_id, region_path=r.region_path, label=r.label,
                                  responsible=responsible, deputy=deputy, phone=r.phone, assigned_by=by)


def _hand_tasks(held, *, leaving, successor, reason, at, moved: list) -> None:
    for t in held["tasks"]:
        to = successor
        if to is None and t.deputy_id and t.deputy_id != leaving.pk and t.deputy_id not in roster.off_duty_map(at, [t.deputy_id]):
            to = t.deputy
        to = to or _next(None, object_type="task", object_id=t.pk, region_path=t.region_path, role=t.owner_role, leaving=leaving.pk, at=at)
        if to is None:
            raise ServiceError.field("successor", _("nobody can take over the task %(name)s: name a successor") % {"name": t.title})
        deputy = roster.responsible_for(region_path=t.region_path, role=t.owner_role, at=at, exclude={leaving.pk, to.pk}).person
        t.owner, t.deputy = to, deputy
        t.resolution = [*t.resolution, {"at": at.isoformat(), "step": "handed_over", "from": leaving.pk, "user": to.pk,
                                        "name": rules.display_name(to), "reason": reason}]
        t.save(update_fields=["owner", "deputy", "resolution"])
        moved.append({"kind": "task", "id": t.pk, "label": t.title, "to": to.pk, "as": "owner"})
    for t in held["deputy_tasks"]:
        if t.owner_id == leaving.pk:
            continue
        t.deputy = successor if successor is not None and successor.pk != t.owner_id else roster.responsible_for(
            region_path=t.region_path, role=t.owner_role, at=at, exclude={leaving.pk, t.owner_id}).person
        t.save(update_fields=["deputy"])
        moved.append({"kind": "task", "id": t.pk, "label": t.title, "to": t.deputy_id, "as": "deputy"})


def _hand_shifts(held, *, leaving, successor, at, moved: list) -> None:
    for s in held["shifts"]:
        if s.user_id == leaving.pk:
            to = successor or s.deputy
            if to is None:
                continue  # the roster escalates a shift nobody covers; nothing to hand
            if s.start < at:  # the part already worked stays with the leaving officer
                DutyShift.objects.create(region_path=s.region_path, role=s.role, user=to, deputy=None, start=at, end=s.end,
                                         note=f"接班 {rules.display_name(leaving)}")
                s.end = at
                s.save(update_fields=["end"])
            else:
                s.user, s.deputy = to, (None if s.deputy_id == to.pk else s.deputy)
                s.save(update_fields=["user", "deputy"])
            moved.append({"kind": "shift", "id": s.pk, "label": f"{s.role}@{s.region_path}", "to": to.pk, "as": "on duty"})
        elif s.deputy_id == leaving.pk:
            s.deputy = successor if successor is not None and successor.pk != s.user_id else None
            s.save(update_fields=["deputy"])
            moved.append({"kind": "shift", "id": s.pk, "label": f"{s.role}@{s.region_path}", "to": s.deputy_id, "as": "deputy"})


# long: one step, in order: validate, take the officer out, move each kind of item, keep the trail, tell the people
def officer_take_out(*, actor, user_id, reason: str, successor_id=None, since: dt.datetime | None = None,
                     until: dt.datetime | None = None, note: str = "", source: str = "") -> HandOver:
    """Take an officer out (不在岗) and hand everything they answer for to each item's deputy or one successor, in one step."""
    leaving = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    home = roster.home_path(leaving) if leaving is not None else ""
    if not home or not access.can(actor, "command.view", home):
        raise NotFound.field("user", _("no such officer in your area"))
    access.require(actor, "command.change", home)
    successor = user(successor_id, "successor")
    if successor is not None and successor.pk == leaving.pk:
        raise ServiceError.field("successor", _("must be someone other than the officer taken out"))
    at = clock.now()
    since = since or at
    roster.off_duty_validate(reason=reason, since=since, until=until)
    if successor is not None and successor.pk in roster.off_duty_map(at, [successor.pk]):
        raise ServiceError.field("successor", _("is off duty too"))
    by = access.user_or_none(actor)
    with transaction.atomic():
        held = answers_for(user_id=leaving.pk, at=at)
        for r in [*held["responsible"], *held["deputy"], *held["tasks"], *held["deputy_tasks"]]:
            access.require(actor, "command.change", r.region_path)
        off = OffDuty.objects.create(user=leaving, reason=reason, since=since, until=until, source=source, note=note, region_path=home,
                                     created_by=by)
        moved: list = []
        _hand_responsibilities(held, leaving=leaving, successor=successor, by=by, at=at, moved=moved)
        _hand_tasks(held, leaving=leaving, successor=successor, reason=reason, at=at, moved=moved)
        _hand_shifts(held, leaving=leaving, successor=successor, at=at, moved=moved)
        handover = HandOver.objects.create(from_user=leaving, to_user=successor, reason=reason, off_duty=off, items=moved, note=note,
                                           by=by, at=at, region_path=home)
        counts = {k: sum(1 for m in moved if m["kind"] == k) for k in ("responsibility", "task", "shift")}
        audit.record(actor, "duty.take_out", off, changes={"user": leaving.pk, "reason": reason, "until": until, "source": source})
        audit.record(actor, "duty.handover", handover, changes={"from": leaving.pk, "to": successor.pk if successor else None, **counts})
    receivers = {m["to"] for m in moved if m["to"]}
    for u in roster.officers(receivers).values():
        notify_user(u, f"{rules.display_name(leaving)} 不在岗，其负责的工作已交接给您，请查看「我的工作」", "duty.handover")
    return handover


def officer_back(*, actor, off_duty: OffDuty) -> OffDuty:
    """The officer is back at post from now (what was handed over stays with its new owners)."""
    access.require(actor, "command.change", off_duty.region_path)
    now = clock.now()
    if off_duty.until is not None and off_duty.until <= now:
        raise ServiceError.field("until", _("already back"), code="closed")
    with transaction.atomic():
        off_duty.until = now
        off_duty.save(update_fields=["until"])
        audit.record(actor, "duty.back", off_duty, changes={"user": off_duty.user_id})
    return off_duty


# status reason -> why the officer is out (a reason set by a zone is "sealed_zone", whatever the colour it gives)
MEASURE_REASONS = {"close_contact": "contact", "secondary_contact": "contact", "spacetime_companion": "contact",
                   "centralized_quarantine": "measures", "home_isolation": "measures", "home_monitoring": "measures",
                   "confirmed": "sick", "asymptomatic": "sick"}


def persons_under_measures(*, person_ids, reason: str, source: str) -> int:
    """Health measures were set on these residents (status calls this): each one who is an officer on duty is taken out and
    their work handed to the deputies; when nobody can take an item, the superior post gets a task to name a successor.
    Returns how many officers were taken out."""
    off_reason = "sealed_zone" if source.startswith("zones.") else MEASURE_REASONS.get(reason)
    if off_reason is None:
        return 0
    ids = list(person_ids)
    links = [link for i in range(0, len(ids), 2000)
             for link in OfficerPerson.objects.filter(person_id__in=ids[i:i + 2000]).select_related("user")]
    if not links:
        return 0
    out = roster.off_duty_map(clock.now(), [link.user_id for link in links])
    n = 0
    for link in links:
        if link.user_id in out or not link.user.is_active:
            continue
        try:
            with transaction.atomic():
                officer_take_out(actor=SYSTEM, user_id=link.user_id, reason=off_reason, source=f"status:{source}"[:80],
                                 note=reason)
            n += 1
        except ServiceError as exc:
            home = roster.home_path(link.user)
            if home:
                task_create(actor=SYSTEM, title=f"{rules.display_name(link.user)} 已被采取管控措施，请指定接替人", kind="duty.successor",
                            region_path=home, deadline=clock.now() + dt.timedelta(hours=2), priority=1, detail=exc.message,
                            source=f"duty.user:{link.user_id}")
    return n


def persons_under_measures_many(*, items) -> int:
    """persons_under_measures for many (person_id, reason, source) at once: one look-up finds the officers among the people,
    then each of their items is handled in order as persons_under_measures does; returns how many were taken out."""
    items = list(items)
    ids = sorted({pid for pid, _reason, _source in items})
    linked = {pid for i in range(0, len(ids), 2000)
              for pid in OfficerPerson.objects.filter(person_id__in=ids[i:i + 2000]).values_list("person_id", flat=True)}
    return sum(persons_under_measures(person_ids=[pid], reason=reason, source=source)
               for pid, reason, source in items if pid in linked)
