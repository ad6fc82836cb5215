"""Writes for mass gatherings: registration with an automatic decision by the rule set (the
attendance limit for the area's risk level, and the notice period), re-checks when risk levels
change (approved events over the new limit are suspended), manual suspension, and a notice to
the organizer for every decision (cordon.core.notify)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, notify, policy
from cordon.core.errors import ServiceError
from cordon.gatherings import rules, selectors
from cordon.gatherings.enums import GatheringStatus
from cordon.gatherings.models import Gathering, GatheringNotice
from cordon.regions.models import Region
from cordon.venues import events as venue_events

REASON_TEXT = {
    "suspended_level": "所在区域风险等级下暂停一切聚集性活动 (all gatherings suspended at this risk level)",
    "over_limit": "预计人数超过该风险等级的上限 {limit} 人 (expected attendance over the limit of {limit})",
    "short_notice": "须提前 {days} 天报备 (must be registered {days} days ahead)",
    "within_limit": "人数在上限 {limit} 人以内 (within the limit of {limit})",
}


def _reason(code: str, *, limit: int, section: dict, extra: str = "") -> str:
    text = REASON_TEXT[code].format(limit=limit, days=section.get("notice_days", 0))
    return f"{text}{'; ' + extra if extra else ''}"[:300]


def _zone_text(risk: dict | None) -> str:
    """Which zone set the level, and how: the organiser and the officer see what blocked the event."""
    return venue_events.zone_text(risk) if risk else ""


def _notify(gathering: Gathering, *, kind: str, message: str) -> GatheringNotice:
    notice = GatheringNotice.objects.create(gathering=gathering, region_path=gathering.region_path, at=clock.now(), kind=kind,
                                            phone=gathering.organizer_phone, message=message)
    phone, text = gathering.organizer_phone, message
    transaction.on_commit(lambda: notify.notifier().send(phone=phone, message=text, kind=f"gathering.{kind}"))
    return notice


def _message(g: Gathering, verdict: str) -> str:
    when = clock.local(g.starts_at).strftime("%Y-%m-%d %H:%M")
    return f"【活动报备】{g.title}（{when}，{g.expected_attendance}人）：{verdict}。{g.decision_reason}"


def gathering_register(*, actor, title: str, organizer: str, organizer_phone: str, region: Region | None, expected_attendance,
                       starts_at: dt.datetime | None, ends_at: dt.datetime | None, venue=None, address: str = "") -> Gathering:
    """Register a planned event and decide it by the rule set; the organizer is notified."""
    errors = []
    for name, value in (("title", title), ("organizer", organizer), ("organizer_phone", organizer_phone)):
        if not (value or "").strip():
            errors.append({"field": name, "message": _("is required")})
    try:
        expected = int(expected_attendance)
        if expected < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors.append({"field": "expected_attendance", "message": _("a whole number of people, at least 1")})
        expected = 0
    if region is None and venue is None:
        errors.append({"field": "region", "message": _("choose the venue or the region")})
    if starts_at is None:
        errors.append({"field": "starts_at", "message": _("is required")})
    elif ends_at is None or ends_at <= starts_at:
        errors.append({"field": "ends_at", "message": _("must be after the start")})
    elif ends_at < clock.now():
        errors.append({"field": "ends_at", "message": _("the event is over already")})
    if errors:
        raise ServiceError("; ".join(f"{e['field']}: {e['message']}" for e in errors), fields=errors)
    region = venue.region if venue is not None else region
    path = venue.region_path if venue is not None else region.path
    if not access.can(actor, "gatherings.change", path):
        raise ServiceError.field("region", _("outside your area"), code="forbidden")
    with transaction.atomic():
        g = Gathering.objects.create(title=title.strip(), organizer=organizer.strip(), organizer_phone=organizer_phone.strip(), venue=venue,
                                     region=region, region_path=path, address=(address or (venue.address if venue else "")).strip(),
                                     expected_attendance=expected, starts_at=starts_at, ends_at=ends_at,
                                     created_by=access.user_or_none(actor))
        audit.record(actor, "gathering.register", g, changes={"title": g.title, "expected": expected, "starts_at": starts_at})
        _decide(actor=actor, gathering=g, registered_at=clock.now())
    return g


def _decide(*, actor, gathering: Gathering, registered_at: dt.datetime) -> Gathering:
    section = policy.in_force(gathering.starts_at).section("gatherings")
    risk = selectors.area_risk(gathering=gathering, section=section)
    level = risk["kind"] if risk else None
    ok, limit, code = rules.decide(expected=gathering.expected_attendance, level=level, starts_at=gathering.starts_at,
                                   registered_at=registered_at, gathering_rules=section)
    gathering.status = GatheringStatus.APPROVED if ok else GatheringStatus.REJECTED
    gathering.risk_level, gathering.max_allowed = level or "", limit
    gathering.decision_reason = _reason(code, limit=limit, section=section, extra=_zone_text(risk))
    gathering.decided_at = clock.now()
    gathering.save(update_fields=["status", "risk_level", "max_allowed", "decision_reason", "decided_at"])
    _notify(gathering, kind="approved" if ok else "rejected", message=_message(gathering, "准予举办 approved" if ok else "不予举办 not approved"))
    audit.record(actor, "gathering.decide", gathering, changes={"status": gathering.status, "level": level, "limit": limit, "reason": code,
                                                                "zone": risk["zone_id"] if risk else None})
    return gathering


def gatherings_recheck(*, actor, now: dt.datetime | None = None) -> dict:
    """Re-apply the limits to approved events not yet over (risk levels change): suspend those now over the limit."""
    now = now or clock.now()
    access.require(actor, "gatherings.change")
    qs = access.scope(Gathering.objects.filter(status=GatheringStatus.APPROVED, ends_at__gt=now), actor, "change")
    checked = suspended = 0
    with transaction.atomic():
        for g in qs.select_for_update(of=("self",)).select_related("venue", "region"):
            checked += 1
            section = policy.in_force(g.starts_at).section("gatherings")
            risk = selectors.area_risk(gathering=g, section=section)
            level = risk["kind"] if risk else None
            limit = rules.limit_for(level, gathering_rules=section)
            if g.expected_attendance > limit:
                code = "suspended_level" if limit == 0 else "over_limit"
                g.status, g.risk_level, g.max_allowed = GatheringStatus.SUSPENDED, level or "", limit
                g.decision_reason = _reason(code, limit=limit, section=section, extra=_zone_text(risk))
                g.decided_at = now
                g.decided_by = access.user_or_none(actor)
                g.save(update_fields=["status", "risk_level", "max_allowed", "decision_reason", "decided_at", "decided_by"])
                _notify(g, kind="suspended", message=_message(g, "暂停举办 suspended"))
                suspended += 1
        audit.record(actor, "gathering.recheck", object_type="gatherings.gathering", changes={"checked": checked, "suspended": suspended})
    return {"checked": checked, "suspended": suspended}


def gathering_suspend(*, actor, gathering: Gathering, reason: str) -> Gathering:
    """Suspend one event by an officer's decision, with the reason sent to the organizer."""
    access.require(actor, "gatherings.change", gathering.region_path)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("say why the gathering is suspended"))
    if gathering.status not in (GatheringStatus.PENDING, GatheringStatus.APPROVED):
        raise ServiceError.field("status", _("a %(status)s gathering cannot be suspended") % {"status": gathering.status}, code="conflict")
    with transaction.atomic():
        gathering.status, gathering.decision_reason = GatheringStatus.SUSPENDED, reason.strip()[:300]
        gathering.decided_at, gathering.decided_by = clock.now(), access.user_or_none(actor)
        gathering.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        _notify(gathering, kind="suspended", message=_message(gathering, "暂停举办 suspended"))
        audit.record(actor, "gathering.suspend", gathering, changes={"reason": gathering.decision_reason})
    return gathering


def gathering_cancel(*, actor, gathering: Gathering) -> Gathering:
    """Record that the organizer called the event off."""
    access.require(actor, "gatherings.change", gathering.region_path)
    if gathering.status in (GatheringStatus.CANCELLED,):
        raise ServiceError.field("status", _("cancelled already"), code="conflict")
    return audit.update(actor, gathering, "gathering.cancel", status=GatheringStatus.CANCELLED)
