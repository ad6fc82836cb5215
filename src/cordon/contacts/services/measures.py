"""Measure plans of risk persons: rule-set phases dated from the last exposure, their status reasons, the daily
advance and release. A centralized phase asks quarantine for a placement, and a release withdraws it, through
contacts.events (handled in the caller's transaction)."""

import datetime as dt

from django.db import transaction

from cordon.contacts import events, rules
from cordon.contacts.enums import RISK_LIFECYCLE, RiskStatus
from cordon.contacts.models import RiskPerson
from cordon.core import audit, clock, policy
from cordon.status import services as status_services
from cordon.status.models import HealthStatus

CATEGORY_REASONS = {"close_contact", "secondary_contact", "spacetime_companion", "high_risk_arrival", "medium_risk_arrival"}


def _end_of(day: dt.date) -> dt.datetime:
    return clock.aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _step(risk: RiskPerson, target: str, *, field: str = "status", row: int | None = None) -> None:
    """Refuse a status change the risk person's lifecycle does not allow: 409 naming the field (and the row of a bulk
    decision) and the allowed next statuses."""
    RISK_LIFECYCLE.step(risk.status, target, field=field, row=row)


def _sync_reasons(risk: RiskPerson, *, today: dt.date, actor) -> None:
    """The risk person's status reasons: the category until the plan ends, the current phase's reason, no other
    phase's; one colour recompute."""
    wanted, clear = _wanted_reasons(risk, today=today)
    status_services.reasons_apply(person_id=risk.person_id, source=risk.source, set_reasons=wanted, actor=actor,
                                  clear_reasons=clear)


def _centralized(risk: RiskPerson, *, today: dt.date) -> dict | None:
    """The placement a centralized phase still to come asks for ({person_id, category, start, end, source,
    household_id}), or None when the plan has none."""
    central = [p for p in risk.plan if p["kind"] == "centralized" and dt.date.fromisoformat(p["end"]) >= today]
    if not central:
        return None
    return {"person_id": risk.person_id, "category": risk.category, "start": dt.date.fromisoformat(central[0]["start"]),
            "end": dt.date.fromisoformat(central[-1]["end"]), "source": risk.source,
            "household_id": risk.person.household_id}


def _placement(risk: RiskPerson, *, today: dt.date, actor) -> None:
    """A centralized phase still to come asks quarantine for a placement; none withdraws an open request."""
    item = _centralized(risk, today=today)
    if item is not None:
        events.CENTRALIZED_NEEDED.emit(actor=actor, **item)
    else:
        events.CENTRALIZED_NOT_NEEDED.emit(actor=actor, source=risk.source)


def _placements(risks: list[RiskPerson], *, today: dt.date, actor) -> None:
    """_placement for many rows: the withdrawals first (each its own source), then the placements as one batch."""
    items = []
    for risk in risks:
        item = _centralized(risk, today=today)
        if item is None:
            events.CENTRALIZED_NOT_NEEDED.emit(actor=actor, source=risk.source)
        else:
            items.append(item)
    if items:
        events.CENTRALIZED_NEEDED_MANY.emit(actor=actor, items=items)


def measures_apply(*, actor, risk: RiskPerson, why: str = "") -> RiskPerson:
    """(Re)plan a risk person's measures from the rule set in force, dated from the last exposure; audited."""
    ruleset = policy.in_force(clock.now())
    today = clock.today()
    phases = rules.plan(risk.category, last_exposure=clock.day_of(risk.last_exposure), measures=ruleset.section("measures"))
    before = {"plan": risk.plan, "ruleset": risk.plan_ruleset}
    if not phases:
        _step(risk, RiskStatus.RELEASED)
    elif risk.status != RiskStatus.UNDER_MEASURES:
        _step(risk, RiskStatus.UNDER_MEASURES)  # only a confirmed person gets a plan (never a proposal, nor one ended)
    with transaction.atomic():
        risk.plan, risk.plan_ruleset, risk.measures_end = phases, ruleset.code, rules.plan_end(phases)
        if not phases:
            risk.status, risk.released_at = RiskStatus.RELEASED, clock.now()
            risk.note = f"not managed under {ruleset.code}"
        elif risk.status == RiskStatus.CONFIRMED:
            risk.status = RiskStatus.UNDER_MEASURES
        risk.save(update_fields=["plan", "plan_ruleset", "measures_end", "status", "released_at", "note"])
        audit.record(actor, "contacts.plan", risk, changes={"why": why, "ruleset": ruleset.code, "end": risk.measures_end,
                                                            "previous_ruleset": before["ruleset"], "replanned": bool(before["plan"])})
        if risk.status == RiskStatus.RELEASED:
            status_services.reason_clear(person_id=risk.person_id, source=risk.source, actor=actor)
            return risk
        _sync_reasons(risk, today=today, actor=actor)
        _placement(risk, today=today, actor=actor)
        if rules.release_due(phases, today=today, last_test_negative=_negative_since(risk), requires_negative=False):
            risk_release(actor=actor, risk=risk, why="plan already over")
    return risk


def _plan_rows(risks: list[RiskPerson], *, ruleset) -> list[tuple[RiskPerson, list, dict]]:
    """Each row's phases under the rule set, its lifecycle step checked (nothing written): (row, phases, before)."""
    measures = ruleset.section("measures")
    out = []
    for risk in risks:
        phases = rules.plan(risk.category, last_exposure=clock.day_of(risk.last_exposure), measures=measures)
        if not phases:
            _step(risk, RiskStatus.RELEASED)
        elif risk.status != RiskStatus.UNDER_MEASURES:
            _step(risk, RiskStatus.UNDER_MEASURES)
        out.append((risk, phases, {"plan": risk.plan, "ruleset": risk.plan_ruleset}))
    return out


def _wanted_reasons(risk: RiskPerson, *, today: dt.date) -> tuple[list, list[str]]:
    """The status reasons _sync_reasons sets and clears for a row: (set [(reason, since, until)], clear)."""
    phases = risk.plan
    wanted = []
    if risk.category in CATEGORY_REASONS and risk.measures_end:
        wanted.append((risk.category, risk.last_exposure, _end_of(risk.measures_end)))
    phase = rules.phase_on(phases, today) or (phases[0] if phases and today < dt.date.fromisoformat(phases[0]["start"]) else None)
    current = rules.PHASE_REASON.get(phase["kind"]) if phase else None
    if current:
        wanted.append((current, None, _end_of(dt.date.fromisoformat(phase["end"]))))
    return wanted, sorted({r for r in rules.PHASE_REASON.values() if r} - {current})


def measures_apply_many(*, actor, risks: list[RiskPerson], why: str = "") -> list[RiskPerson]:
    """measures_apply for many risk persons at once (a tracer confirming a case's 2,000 contacts): the same plans,
    status reasons, placement requests and releases, with the rows written in bulk, the status reasons set and the
    colours recomputed a chunk at a time (status.services.reasons_apply_many) and one audit entry for the batch.
    All or nothing: a row whose lifecycle refuses its plan refuses the batch before anything is written."""
    if not risks:
        return []
    now = clock.now()
    ruleset = policy.in_force(now)
    today = clock.today()
    planned = _plan_rows(risks, ruleset=ruleset)
    with transaction.atomic():
        for risk, phases, _before in planned:
            risk.plan, risk.plan_ruleset, risk.measures_end = phases, ruleset.code, rules.plan_end(phases)
            if not phases:
                risk.status, risk.released_at = RiskStatus.RELEASED, now
                risk.note = f"not managed under {ruleset.code}"
            elif risk.status == RiskStatus.CONFIRMED:
                risk.status = RiskStatus.UNDER_MEASURES
        RiskPerson.objects.bulk_update(risks, ["plan", "plan_ruleset", "measures_end", "status", "released_at", "note"],
                                       batch_size=500)
        ids = [r.pk for r in risks]
        audit.record(actor, "contacts.plan", object_type="contacts.riskperson", object_id=",".join(map(str, ids[:20])),
                     region_path=risks[0].region_path,
                     changes={"why": why, "ruleset": ruleset.code, "count": len(risks), "ids": ids,
                              "rows": [[r.pk, r.measures_end, b["ruleset"], bool(b["plan"])] for r, _p, b in planned]})
        open_rows = [r for r in risks if r.status != RiskStatus.RELEASED]
        for risk in risks:
            if risk.status == RiskStatus.RELEASED:
                status_services.reason_clear(person_id=risk.person_id, source=risk.source, actor=actor)
        status_services.reasons_apply_many(
            items=[(r.person_id, r.source, *_wanted_reasons(r, today=today)) for r in open_rows], actor=actor)
        _placements(open_rows, today=today, actor=actor)
        for risk in open_rows:
            # measures_apply asks requires_negative=False: the plan being over is enough, whatever the last test
            if rules.release_due(risk.plan, today=today, last_test_negative=True, requires_negative=False):
                risk_release(actor=actor, risk=risk, why="plan already over")
    return risks


def _negative_since(risk: RiskPerson) -> bool:
    """Negative result on a sample taken on or after the plan's last test day."""
    return _negatives_since([risk])[risk.pk]


def _negatives_since(risks: list[RiskPerson]) -> dict[int, bool]:
    """_negative_since for many rows: {risk pk: negative since its plan's last test day}, one query per 2,000 people."""
    people = sorted({r.person_id for r in risks if rules.last_test_day(r.plan) is not None})
    last: dict[int, dt.datetime | None] = {}
    for i in range(0, len(people), 2000):
        last.update(HealthStatus.objects.filter(person_id__in=people[i:i + 2000]).values_list("person_id", "last_negative_at"))
    out = {}
    for risk in risks:
        day = rules.last_test_day(risk.plan)
        neg = last.get(risk.person_id)
        out[risk.pk] = day is None or bool(neg and clock.day_of(neg) >= day)
    return out


def risk_release(*, actor, risk: RiskPerson, why: str = "criteria met") -> RiskPerson:
    """Release a risk person from measures: clear their status reasons and (quarantine, in this transaction) any
    open placement request."""
    _step(risk, RiskStatus.RELEASED)
    with transaction.atomic():
        risk.status, risk.released_at = RiskStatus.RELEASED, clock.now()
        risk.save(update_fields=["status", "released_at"])
        status_services.reason_clear(person_id=risk.person_id, source=risk.source, actor=actor)
        events.RISK_RELEASED.emit(actor=actor, source=risk.source)
        audit.record(actor, "contacts.release", risk, changes={"why": why})
    return risk


def risks_release_many(*, actor, risks: list[RiskPerson], why: str = "criteria met") -> list[RiskPerson]:
    """risk_release for many risk persons at once (the day's ended plans): the same lifecycle check, fields and status
    reasons cleared, with one UPDATE per 2,000 rows, the reasons cleared and colours recomputed in bulk
    (status.services.reasons_sync_many), one batch event (quarantine withdraws the placement requests together) and one
    audit entry for the batch. All or nothing: a row whose lifecycle refuses the release refuses the batch before
    anything is written."""
    if not risks:
        return []
    for i, risk in enumerate(risks, start=1):
        _step(risk, RiskStatus.RELEASED, row=i if len(risks) > 1 else None)
    now = clock.now()
    ids = [r.pk for r in risks]
    sources = [r.source for r in risks]
    with transaction.atomic():
        for i in range(0, len(ids), 2000):
            RiskPerson.objects.filter(pk__in=ids[i:i + 2000]).update(status=RiskStatus.RELEASED, released_at=now)
        for risk in risks:
            risk.status, risk.released_at = RiskStatus.RELEASED, now
        status_services.reasons_sync_many(items=[(s, None, []) for s in sources], actor=actor)  # each source's reasons
        events.RISKS_RELEASED_MANY.emit(actor=actor, sources=sources)
        audit.record(actor, "contacts.release", object_type="contacts.riskperson", object_id=",".join(map(str, ids[:20])),
                     region_path=audit.batch_path([r.region_path for r in risks]),
                     changes={"why": why, "count": len(ids), "ids": ids})
    return risks


def measures_advance(*, actor, rows=None, today: dt.date | None = None) -> dict:
    """Move open plans on by the calendar: current phase reasons, and release where the criteria are met."""
    today = today or clock.today()
    qs = (rows if rows is not None else RiskPerson.objects.all()).filter(status=RiskStatus.UNDER_MEASURES)
    counts = {"advanced": 0, "released": 0, "waiting_test": 0}
    requires = policy.in_force(today).get("measures.release_requires_last_test_negative", True)
    advanced, ended = [], []
    with transaction.atomic():
        for risk in qs.select_related("person"):
            end = rules.plan_end(risk.plan)
            if end is not None and today > end:
                ended.append(risk)
                continue
            advanced.append((risk.person_id, risk.source, *_wanted_reasons(risk, today=today)))
        negatives = _negatives_since(ended)
        due = [r for r in ended if rules.release_due(r.plan, today=today, last_test_negative=negatives[r.pk],
                                                     requires_negative=requires)]
        risks_release_many(actor=actor, risks=due)  # the day's releases as one batch
        counts["released"], counts["waiting_test"] = len(due), len(ended) - len(due)
        status_services.reasons_apply_many(items=advanced, actor=actor)  # each plan's reasons, the colours in bulk
    counts["advanced"] = len(advanced)
    return counts


def measures_recompute_all(*, actor, why: str = "rule set changed") -> int:
    """Re-plan every open measure plan under the rule set now in force (each audited)."""
    n = 0
    for risk in RiskPerson.objects.filter(status=RiskStatus.UNDER_MEASURES).select_related("person"):
        measures_apply(actor=actor, risk=risk, why=why)
        n += 1
    return n
