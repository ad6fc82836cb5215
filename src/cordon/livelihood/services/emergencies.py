"""The emergency medical channel: urgent requests with minute-level deadlines, accepted whatever the person's
health status (no code path here reads it: nobody under measures may be refused care). A missed deadline files
a command task one post further up the region path each escalation step (`emergency_escalate_overdue`, run by
livelihood.jobs and on board load)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.livelihood import rules
from cordon.livelihood.enums import Channel, DispatchKind, EmergencyKind, EmergencyStatus
from cordon.livelihood.models import Emergency, Escalation
from cordon.livelihood.services.common import SYSTEM, _choice, _require, _section
from cordon.livelihood.services.needs import portal_identify
from cordon.people.models import Household, Person


def emergency_create(*, actor, kind: str, person_id: int | None = None, household_id: int | None = None,
                     phone: str = "", detail: str = "", channel: str = Channel.GRID, now: dt.datetime | None = None) -> Emergency:
    """Open an urgent medical request with minute-level deadlines; never refused for the person's status."""
    kind = _choice(kind, EmergencyKind, "kind")
    channel = _choice(channel, Channel, "channel")
    person = household = None
    if person_id:
        person = Person.objects.filter(pk=person_id).select_related("household").first()
        if person is None or (not access.can(actor, "people.view", person.region_path)):
            raise NotFound.field("person_id", _("unknown person"), code="unknown_person")
        household = person.household
    elif household_id:
        household = Household.objects.filter(pk=household_id).first()
        if household is None or (not access.can(actor, "people.view", household.region_path)):
            raise NotFound.field("household_id", _("unknown household"), code="unknown_household")
    else:
        raise ServiceError.field("person_id", _("name the person or the household"))
    path = person.region_path if person else household.region_path
    _require(actor, "livelihood.change", path)
    now = now or clock.now()
    em = _section(now).get("emergency", {})
    ack, dispatch = rules.emergency_deadlines(created_at=now, ack_minutes=em.get("acknowledge_minutes", 10),
                                              dispatch_minutes=em.get("dispatch_minutes", 30))
    with transaction.atomic():
        e = Emergency.objects.create(person=person, household=household, kind=kind, detail=(detail or "")[:500],
                                     phone=(phone or (person.phone if person else ""))[:20], channel=channel,
                                     region_path=path, created_at=now, ack_deadline=ack, dispatch_deadline=dispatch,
                                     created_by=access.user_or_none(actor))
        audit.record(actor, "emergency.create", e, changes={"kind": kind, "channel": channel})
        command_services.task_create(actor=SYSTEM, title=f"急救诉求 #{e.pk}：{EmergencyKind(kind).label}，{em.get('acknowledge_minutes', 10)} 分钟内响应",
                                     kind="livelihood.emergency", region_path=path, deadline=ack, priority=1,
                                     detail=e.detail, source=_source(e, 0))
    return e


def emergency_portal(*, id_number: str, phone: str, kind: str, detail: str = "") -> Emergency:
    """A resident raises an emergency through the public portal."""
    person = portal_identify(id_number=id_number, phone=phone)
    return emergency_create(actor=SYSTEM, kind=kind, person_id=person.pk, phone=phone, detail=detail, channel=Channel.PORTAL)


def _source(e: Emergency, level: int) -> str:
    return f"livelihood.emergency:{e.pk}" + (f":L{level}" if level else "")


def _close_tasks(e: Emergency, levels, result: str) -> None:
    for level in levels:
        command_services.task_close_by_source(actor=SYSTEM, source=_source(e, level), result=result)


def emergency_acknowledge(*, actor, emergency: Emergency) -> Emergency:
    """Someone on the chain takes the request: the acknowledge deadline stops counting."""
    _require(actor, "livelihood.change", emergency.region_path)
    if emergency.status != EmergencyStatus.OPEN:
        raise Conflict(_("the request is %(status)s already") % {"status": emergency.status})
    with transaction.atomic():
        emergency.status, emergency.acknowledged_at = EmergencyStatus.ACKNOWLEDGED, clock.now()
        emergency.acknowledged_by = access.user_or_none(actor)
        emergency.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        audit.record(actor, "emergency.acknowledge", emergency,
                     changes={"late": emergency.acknowledged_at > emergency.ack_deadline})
        ack_levels = [0, *emergency.escalations.filter(missed="acknowledge").values_list("level", flat=True)]
        _close_tasks(emergency, ack_levels, "acknowledged")
    return emergency


def emergency_dispatch(*, actor, emergency: Emergency, dispatch_kind: str, hospital: str = "", vehicle: str = "") -> Emergency:
    """Record the ambulance, hospital transfer or doctor visit sent (acknowledges too)."""
    _require(actor, "livelihood.change", emergency.region_path)
    dispatch_kind = _choice(dispatch_kind, DispatchKind, "dispatch_kind")
    if dispatch_kind in (DispatchKind.HOSPITAL, DispatchKind.AMBULANCE) and not (hospital or "").strip():
        raise ServiceError.field("hospital", _("name the receiving hospital"))
    if emergency.status not in (EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED):
        raise Conflict(_("the request is %(status)s already") % {"status": emergency.status})
    now = clock.now()
    with transaction.atomic():
        if emergency.acknowledged_at is None:
            emergency.acknowledged_at = now
            emergency.acknowledged_by = access.user_or_none(actor)
        emergency.status, emergency.dispatched_at = EmergencyStatus.DISPATCHED, now
        emergency.dispatch_kind, emergency.hospital, emergency.vehicle = dispatch_kind, hospital.strip()[:100], vehicle.strip()[:40]
        emergency.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "dispatched_at", "dispatch_kind",
                                      "hospital", "vehicle"])
        audit.record(actor, "emergency.dispatch", emergency, changes={"dispatch_kind": dispatch_kind, "hospital": emergency.hospital,
                                                                      "late": now > emergency.dispatch_deadline})
        _close_tasks(emergency, [0, *emergency.escalations.values_list("level", flat=True)], "dispatched")
    return emergency


def emergency_close(*, actor, emergency: Emergency, outcome: str) -> Emergency:
    """Close the request with its outcome (admitted, treated at home, ...)."""
    _require(actor, "livelihood.change", emergency.region_path)
    if not (outcome or "").strip():
        raise ServiceError.field("outcome", _("is required"))
    if emergency.status == EmergencyStatus.CLOSED:
        raise Conflict(_("the request is closed already"))
    with transaction.atomic():
        emergency.status, emergency.closed_at, emergency.outcome = EmergencyStatus.CLOSED, clock.now(), outcome.strip()[:300]
        emergency.save(update_fields=["status", "closed_at", "outcome"])
        audit.record(actor, "emergency.close", emergency, changes={"outcome": emergency.outcome})
        _close_tasks(emergency, [0, *emergency.escalations.values_list("level", flat=True)], "closed")
    return emergency


def emergency_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Raise every open emergency whose deadline passed one post further up the region path per step; returns steps taken."""
    now = now or clock.now()
    step = int(_section(now).get("emergency", {}).get("escalate_every_minutes", 10))
    qs = Emergency.objects.filter(status__in=[EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED],
                                  ack_deadline__lt=now).order_by("id")
    steps = 0
    for e in qs:
        missed = rules.missed_deadline(status=e.status, now=now, ack_deadline=e.ack_deadline, dispatch_deadline=e.dispatch_deadline)
        if missed is None:
            continue
        top = len(e.region_path.split(".")) - 1
        if e.status == EmergencyStatus.OPEN:
            target = rules.due_level(now=now, first_missed=e.ack_deadline, step_minutes=step)
        else:
            ack_levels = e.escalations.filter(missed="acknowledge").count()
            target = ack_levels + rules.due_level(now=now, first_missed=e.dispatch_deadline, step_minutes=step)
        target = min(top, target)
        if target <= e.escalation_level:
            continue
        with transaction.atomic():
            locked = Emergency.objects.select_for_update().get(pk=e.pk)
            if locked.escalation_level >= target or locked.status not in (EmergencyStatus.OPEN, EmergencyStatus.ACKNOWLEDGED):
                continue
            for level in range(locked.escalation_level + 1, target + 1):
                path = rules.escalation_path(region_path=locked.region_path, level=level)
                task = command_services.task_create(
                    actor=SYSTEM, kind="livelihood.emergency_escalated", region_path=path, priority=1,
                    deadline=now + dt.timedelta(minutes=step), source=_source(locked, level), detail=locked.detail,
                    title=f"急救诉求 #{locked.pk} 超时未{'响应' if missed == 'acknowledge' else '派车'}，升级至第 {level} 级")
                Escalation.objects.create(emergency=locked, level=level, missed=missed, at=now, task_id=task.pk, region_path=path)
                steps += 1
            locked.escalation_level = target
            locked.save(update_fields=["escalation_level"])
            audit.record(SYSTEM, "emergency.escalate", locked, changes={"level": target, "missed": missed})
    return steps
