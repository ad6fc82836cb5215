"""Monitoring in quarantine: temperature readings, missed-monitoring alerts, scheduled tests and their results."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from cordon.cases import services as cases_services
from cordon.command import services as command_services
from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.quarantine import rules
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    SYMPTOMS,
    StayKind,
    StayStatus,
    TestResult,
)
from cordon.quarantine.models import (
    Reading,
    Room,
    ScheduledTest,
    Stay,
)
from cordon.quarantine.services.common import (
    MISSED_TEST_SOURCE,
    SYSTEM,
    _q,
    _refuse_rows,
    _user,
    _when,
)
from cordon.status import services as status_services


def _clean_reading(temperature, symptoms, *, row=None) -> tuple[Decimal, list[str]]:
    try:
        t = Decimal(str(temperature).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ServiceError.field("temperature", _("%(temperature)r is not a temperature") % {"temperature": temperature}, row=row)
    if not Decimal("34.0") <= t <= Decimal("43.0"):
        raise ServiceError.field("temperature", _("must be between 34.0 and 43.0 °C"), row=row)
    if isinstance(symptoms, str):
        symptoms = [s.strip() for s in symptoms.replace("，", ",").split(",") if s.strip()]
    symptoms = list(symptoms or [])
    bad = [s for s in symptoms if s not in SYMPTOMS]
    if bad:
        raise ServiceError.field("symptoms", _("%(bad_0)r is not one of %(choices)s") % {"bad_0": bad[0], "choices": ', '.join(SYMPTOMS)}, row=row)
    return t, symptoms


def _stay_alert(stay: Stay, what: str, suffix: str, *, kind: str, deadline: dt.datetime, priority: int, detail: str,
                source: str) -> None:
    """A task for whoever looks after the person (the site manager, or the community worker at home), due in 2 h."""
    where = stay.site.name if stay.site_id else _("home")
    command_services.task_create(
        actor=SYSTEM, title=f"{what}: {where}{suffix}", kind=kind, region_path=stay.region_path,
        deadline=deadline + dt.timedelta(hours=2), owner=stay.site.manager if stay.site_id else stay.community_worker,
        owner_role="quarantine_manager", priority=priority, detail=detail, source=source)


def _reading_write(*, actor, stay: Stay, temperature, symptoms, at, by_self: bool) -> Reading:
    if stay.status != StayStatus.IN:
        raise Conflict(_("monitoring is only recorded for people in quarantine"))
    t, symptoms = _clean_reading(temperature, symptoms)
    at = at or clock.now()
    fever = rules.is_fever(t, _q(at).get("fever_threshold", 37.3)) or "fever" in symptoms
    with transaction.atomic():
        reading = Reading.objects.create(stay=stay, region_path=stay.region_path, at=at, temperature=t, symptoms=symptoms,
                                         by_self=by_self, fever=fever,
                                         recorded_by=_user(actor))
        Stay.objects.filter(pk=stay.pk).update(last_monitored_at=at)
        command_services.task_close_by_source(actor=SYSTEM, source=f"quarantine.stay:{stay.pk}:missed")
        if fever or symptoms:
            _stay_alert(stay, _("Fever or symptoms in quarantine"), f", {t} °C", kind="quarantine.fever", deadline=at,
                        priority=1, detail=f"stay {stay.pk}, symptoms: {', '.join(symptoms) or '-'}",
                        source=f"quarantine.stay:{stay.pk}:fever:{clock.day_of(at).isoformat()}")
        audit.record(actor, "reading.create", reading, changes={"stay": stay.pk, "temperature": t, "fever": fever,
                                                                "by_self": by_self})
    return reading


def reading_record(*, actor, stay: Stay, temperature, symptoms=(), at: dt.datetime | None = None) -> Reading:
    """Staff record a temperature and symptoms (fever or symptoms raise an alert task)."""
    access.require(actor, "quarantine.change", stay.region_path)
    return _reading_write(actor=actor, stay=stay, temperature=temperature, symptoms=symptoms, at=at, by_self=False)


def reading_record_self(*, token: str, temperature, symptoms=()) -> Reading:
    """The person reports through the tokenised link (no login)."""
    stay = Stay.objects.filter(monitor_token=token or "-").select_related("site").first()
    if stay is None or stay.status != StayStatus.IN:
        raise ServiceError(_("this monitoring link is not valid any more"), code="invalid_token", status=404)
    return _reading_write(actor=SYSTEM, stay=stay, temperature=temperature, symptoms=symptoms, at=None, by_self=True)


def monitoring_sweep(*, now: dt.datetime | None = None) -> int:
    """File a task for each person in quarantine without monitoring for longer than the rule allows."""
    now = now or clock.now()
    hours = _q(now).get("missed_monitoring_alert_hours", 14)
    cutoff = now - dt.timedelta(hours=hours)
    stays = (Stay.objects.filter(status=StayStatus.IN, checked_in_at__lt=cutoff)
             .exclude(last_monitored_at__gte=cutoff).select_related("site", "community_worker"))
    n = 0
    for stay in stays:
        _stay_alert(stay, _("Monitoring missed"), "", kind="quarantine.missed_monitoring", deadline=now, priority=2,
                    detail=f"stay {stay.pk}: no reading for {hours} h", source=f"quarantine.stay:{stay.pk}:missed")
        n += 1
    missed_tests_sync(actor=SYSTEM, now=now)
    return n


# --------------------------------------------------------------------------- scheduled tests



def missed_tests_sync(*, actor, now: dt.datetime | None = None) -> dict:
    """Give the status reason missed_test to everyone in an active stay with a scheduled test due before today (the
    city's day) that has no sample yet and no later test of the stay sampled, and take it from everyone else: one
    query for the people, one recompute of the colours that change (audited by the status service)."""
    today = clock.day_of(now or clock.now())
    made_up = ScheduledTest.objects.filter(stay_id=OuterRef("stay_id"), due__gt=OuterRef("due"), sampled_at__isnull=False)
    people = (ScheduledTest.objects.filter(due__lt=today, result=TestResult.PENDING, sampled_at__isnull=True,
                                           stay__status__in=ACTIVE_STAY)
              .filter(~Exists(made_up)).order_by().values_list("stay__person_id", flat=True).distinct())
    return status_services.reasons_sync(source=MISSED_TEST_SOURCE, reason="missed_test", person_ids=list(people),
                                        actor=actor)


def test_result_record(*, actor, test: ScheduledTest, result: str, sampled_at: dt.datetime | None = None) -> ScheduledTest:
    """Record a sample or result of a scheduled test; negative updates health status, positive starts the review."""
    access.require(actor, "quarantine.change", test.region_path)
    return _test_results(actor=actor, items=[(test, result, sampled_at)])[0]


TEST_ALIASES = {"test_id": "test_id", "检测编号": "test_id", "stay_id": "stay_id", "day": "day", "天": "day",
                "result": "result", "结果": "result", "sampled_at": "sampled_at", "采样时间": "sampled_at"}
# The results import's empty template (core.tabular.template_view): headers as TEST_ALIASES accepts them, an example row
# (检测编号 is the scheduled test's number on the tests page; or stay_id and 天 instead).
TEST_TEMPLATE = [("检测编号", "1024"), ("stay_id", ""), ("天", ""), ("结果", "阴性"), ("采样时间", "2022-11-20 08:00")]
_RESULT_WORDS = {"negative": "negative", "阴性": "negative", "neg": "negative", "-": "negative",
                 "positive": "positive", "阳性": "positive", "pos": "positive", "+": "positive", "sampled": "sampled",
                 "已采样": "sampled"}


def test_results_import(*, actor, rows: list[dict]) -> dict:
    """Results in bulk (test_id or stay_id+day, result, sampled_at): all rows checked first, nothing half-written."""
    access.require(actor, "quarantine.change")  # a read-only role may not record results anywhere (403)
    errors, items = [], []
    ids = [r.get("test_id") for r in rows if r.get("test_id")]
    tests = {str(t.pk): t for t in ScheduledTest.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])}
    for i, r in enumerate(rows, start=1):
        t = None
        if r.get("test_id"):
            t = tests.get(str(r["test_id"]).strip())
        elif r.get("stay_id") and r.get("day"):
            t = ScheduledTest.objects.filter(stay_id=r["stay_id"], day=r["day"]).first() if str(r["stay_id"]).isdigit() and str(r["day"]).isdigit() else None
        if t is None or not access.can(actor, "quarantine.view", t.region_path):
            errors.append({"row": i, "field": "test_id", "message": _("no such scheduled test")})
            continue
        if not access.can(actor, "quarantine.change", t.region_path):
            errors.append({"row": i, "field": "test_id", "message": _("not permitted")})
            continue
        result = _RESULT_WORDS.get(str(r.get("result") or "").strip().lower())
        if result is None:
            errors.append({"row": i, "field": "result", "message": _("must be negative, positive or sampled")})
            continue
        sampled = None
        if r.get("sampled_at"):
            try:
                sampled = _when(r["sampled_at"], "sampled_at", row=i)
            except ServiceError as exc:
                errors.extend(exc.fields)
                continue
        items.append((t, result, sampled))
    _refuse_rows(errors)
    done = _test_results(actor=actor, items=items)
    return {"recorded": len(done), "early": sum(1 for t in done if t.early)}


UPDATE_CHUNK = 5000  # ids in one UPDATE ... WHERE id IN (...)


def _test_results(*, actor, items: list) -> list[ScheduledTest]:
    now = clock.now()
    for i, (t, result, sampled_at) in enumerate(items, start=1):
        if result not in (TestResult.SAMPLED, TestResult.NEGATIVE, TestResult.POSITIVE):
            raise ServiceError.field("result", _("must be sampled, negative or positive"), row=i if len(items) > 1 else None)
        # an early result may be followed by the test taken on its due day; a result on the due day is final
        if t.result in (TestResult.NEGATIVE, TestResult.POSITIVE) and t.result != result and not t.early:
            raise Conflict(_("test %(pk)s has a %(result)s result already") % {"pk": t.pk, "result": t.result},
                           fields=[{"field": "result", "row": i, "message": _("has a result already")}])
        if sampled_at and sampled_at > now:
            raise ServiceError.field("sampled_at", _("is in the future"), row=i if len(items) > 1 else None)
    out, negatives, positives = [], [], []
    user = _user(actor)
    # The stays' people in one query, and one UPDATE per set of equal values (a day's results share their sampling
    # time and result): not a load of each stay and a save of each test.
    person_of = dict(Stay.objects.filter(pk__in={t.stay_id for t, _r, _s in items}).values_list("pk", "person_id"))
    same: dict[tuple, list[int]] = defaultdict(list)
    with transaction.atomic():
        for t, result, sampled_at in items:
            t.sampled_at = sampled_at or t.sampled_at or now
            t.result = result
            if result != TestResult.SAMPLED:
                t.result_at = now
            t.early = clock.day_of(t.sampled_at) < t.due
            t.recorded_by = user
            if result == TestResult.NEGATIVE:
                negatives.append((person_of[t.stay_id], t.sampled_at))
            elif result == TestResult.POSITIVE:
                positives.append(t)
            out.append(t)
        for t in {t.pk: t for t in out}.values():  # a test named twice is written once, with its last values
            same[(t.sampled_at, t.result, t.result_at, t.early)].append(t.pk)
        for (sampled, result, result_at, early), pks in same.items():
            for k in range(0, len(pks), UPDATE_CHUNK):
                ScheduledTest.objects.filter(pk__in=pks[k:k + UPDATE_CHUNK]).update(
                    sampled_at=sampled, result=result, result_at=result_at, early=early, recorded_by=user)
        if negatives:
            status_services.status_bulk_negatives(items=negatives)
        for t in positives:
            status_services.sample_recorded(person_id=person_of[t.stay_id], sampled_at=t.sampled_at, negative=False,
                                            actor=actor)
            _positive_in_site(actor=actor, test=t)
        missed_tests_sync(actor=actor, now=now)  # a test done: the colour goes back at once
        audit.record(actor, "scheduled_test.results", object_type="quarantine.scheduledtest", object_id=out[0].pk,
                     region_path=out[0].region_path,
                     changes={"count": len(out), "negative": len(negatives), "positive": len(positives),
                              "early": [t.pk for t in out if t.early]})
    return out


def neighbour_stays(stay: Stay, *, positions: int = 2):
    """Active stays in the rooms next to this one (same floor within `positions`, same position one floor up or down)."""
    if not stay.room_id:
        return Stay.objects.none()
    r = stay.room
    near = (Q(floor=r.floor, position__gte=r.position - positions, position__lte=r.position + positions)
            | Q(floor__in=[r.floor - 1, r.floor + 1], position=r.position))
    rooms = Room.objects.filter(near, site_id=r.site_id).values_list("id", flat=True)
    return Stay.objects.filter(room_id__in=list(rooms), status__in=ACTIVE_STAY).exclude(pk=stay.pk)


def _positive_in_site(*, actor, test: ScheduledTest) -> None:
    """A positive result: report the case and file a review of the neighbouring rooms."""
    stay = test.stay
    cases_services.case_report(actor=SYSTEM, person_id=stay.person_id, kind="confirmed", found_by="quarantine",
                               sampled_at=test.sampled_at, confirmed_at=clock.now(), source=f"quarantine.test:{test.pk}")
    if stay.kind != StayKind.CENTRALIZED:
        return
    near = list(neighbour_stays(stay, positions=_q().get("neighbour_review_positions", 2)).select_related("room"))
    command_services.task_create(
        actor=SYSTEM, title=f"{_('Positive in site, review neighbouring rooms')}: {stay.site.name} {stay.room.number}",
        kind="quarantine.positive_review", region_path=stay.region_path,
        deadline=clock.now() + dt.timedelta(hours=6), owner=stay.site.manager, owner_role="quarantine_manager",
        priority=1, detail=f"{_('Rooms to review')}: {', '.join(s.room.number for s in near) or '-'}",
        source=f"quarantine.stay:{stay.pk}:positive")
