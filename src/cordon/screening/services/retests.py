"""Positive pools and single-tube retests: everyone in a positive pool is held at home with a retest
task; a negative retest releases them, a positive one is reported as a case; a pool resolves when its
last member's retest result arrives."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.cases import services as cases_services
from cordon.command import services as command_services
from cordon.core import audit, clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.core.notify import notifier
from cordon.screening import rules
from cordon.screening.enums import RETEST_LIFECYCLE, RetestStatus, SampleResult, TubeStatus
from cordon.screening.models import Retest, Sample, Site, Tube
from cordon.screening.services.common import CLOCK_SLACK, HELD_REASON, SYSTEM, aware, chunks, require, user_id
from cordon.status import services as status_services


def hold_pools(*, tube_ids: list[int], now: dt.datetime) -> int:
    """Everyone in a positive pool: held at home at once, told, and a single-tube retest task filed. The hold is set
    for every pool at once (status.reasons_sync_many: a few queries per 2,000 members, not per pool or member); the retest
    tasks, one per member, are filed in one batch (command.task_create_many)."""
    section = policy.in_force(now).section("screening")
    deadline = now + dt.timedelta(hours=section["turnaround_hours"]["key_group"])
    members = list(Sample.objects.filter(tube_id__in=tube_ids, is_retest=False)
                   .select_related("person", "tube").order_by("tube_id", "id"))
    Retest.objects.bulk_create([Retest(round_id=s.round_id, person_id=s.person_id, pool_tube_id=s.tube_id, sample_id=s.pk,
                                       region_path=s.region_path) for s in members], ignore_conflicts=True)
    retests = {(r.pool_tube_id, r.person_id): r for r in Retest.objects.filter(pool_tube_id__in=tube_ids)}
    pools: dict[int, list[Sample]] = {}
    for s in members:
        pools.setdefault(s.tube_id, []).append(s)
    status_services.reasons_sync_many(items=[(f"screening.tube:{tube_id}", HELD_REASON, [s.person_id for s in pool])
                                             for tube_id, pool in pools.items()], since=now, actor=SYSTEM)
    send = notifier().send
    for s in members:
        if s.person.phone:
            transaction.on_commit(lambda phone=s.person.phone: send(
                phone=phone, kind="screening.held", message="您所在的混采管检测结果异常，请居家等候，工作人员将上门单采复核。"))
    tasks = command_services.task_create_many(actor=SYSTEM, items=[dict(
        title=f"混管阳性单采复核：管 {s.tube.code} 成员 #{s.person_id}", kind="screening.retest",
        region_path=s.region_path, deadline=deadline, owner_role="grid_worker", priority=1,
        detail=f"Pool tube {s.tube.code} tested positive. Keep the resident at home and take a single-tube sample.",
        source=f"screening.retest:{retests[(s.tube_id, s.person_id)].pk}") for s in members])
    task_ids = []
    for s, task in zip(members, tasks, strict=True):
        r = retests[(s.tube_id, s.person_id)]
        if r.task_id != task.pk:
            r.task_id = task.pk
            task_ids.append(r)
    Retest.objects.bulk_update(task_ids, ["task_id"], batch_size=1000)
    return len(members)


def _release(retests: list[Retest], *, now: dt.datetime, result: str) -> None:
    """Held pool members released: their retests negative, their held samples negative, the hold lifted for all the pools
    at once (status.reasons_sync_many keeps it for the members still held or retested positive) and their retest tasks closed."""
    if not retests:
        return
    for chunk in chunks([r.pk for r in retests]):
        Retest.objects.filter(pk__in=chunk).update(status=RetestStatus.NEGATIVE, resolved_at=now)
    for chunk in chunks([r.sample_id for r in retests]):
        Sample.objects.filter(pk__in=chunk, result=SampleResult.HELD).update(result=SampleResult.NEGATIVE)
    pools = sorted({r.pool_tube_id for r in retests})
    still_held: dict[int, list[int]] = {p: [] for p in pools}
    for chunk in chunks(pools):
        for pool, person in (Retest.objects.filter(pool_tube_id__in=chunk).exclude(status=RetestStatus.NEGATIVE)
                             .values_list("pool_tube_id", "person_id")):
            still_held[pool].append(person)
    status_services.reasons_sync_many(items=[(f"screening.tube:{pool}", HELD_REASON, people) for pool, people in still_held.items()],
                                      actor=SYSTEM)
    command_services.task_close_by_sources(actor=SYSTEM, sources=[f"screening.retest:{r.pk}" for r in retests], result=result)


def release_retests(*, tube_ids: list[int], now: dt.datetime) -> None:
    """Negative single tubes: their held pool members are released and their retest tasks closed."""
    retests = list(Retest.objects.filter(retest_sample__tube_id__in=tube_ids).exclude(status=RetestStatus.NEGATIVE))
    _release(retests, now=now, result="retest negative")
    _resolve_pools(pool_ids={r.pool_tube_id for r in retests}, now=now)


def release_pool(*, tube_ids: list[int], now: dt.datetime) -> int:
    """Positive pools corrected to negative: members still held are released and their retest tasks closed."""
    retests = list(Retest.objects.filter(pool_tube_id__in=tube_ids)
                   .exclude(status__in=[RetestStatus.NEGATIVE, RetestStatus.POSITIVE]))
    _release(retests, now=now, result="pool result corrected to negative")
    _resolve_pools(pool_ids=set(tube_ids), now=now)
    return len(retests)


def _resolve_pools(*, pool_ids, now: dt.datetime) -> None:
    """A positive pool resolves when its last member's retest result arrives: negative when all retested negative."""
    open_pools = set(Retest.objects.filter(pool_tube_id__in=list(pool_ids))
                     .exclude(status__in=[RetestStatus.NEGATIVE, RetestStatus.POSITIVE]).values_list("pool_tube_id", flat=True))
    done = [p for p in pool_ids if p not in open_pools]
    if not done:
        return
    positive = set(Retest.objects.filter(pool_tube_id__in=done, status=RetestStatus.POSITIVE)
                   .values_list("pool_tube_id", flat=True))
    for resolution, ids in (("positive", [p for p in done if p in positive]), ("negative", [p for p in done if p not in positive])):
        if ids:
            Tube.objects.filter(pk__in=ids, resolved_at__isnull=True).update(resolution=resolution, resolved_at=now)


def report_positive_singles(*, tube_ids: list[int], now: dt.datetime) -> int:
    """A positive single tube is a case for outbreak response (cases.services.case_report)."""
    n = 0
    pools = set()
    for s in Sample.objects.filter(tube_id__in=tube_ids):
        retest = Retest.objects.filter(retest_sample_id=s.pk).first()
        try:
            case = cases_services.case_report(actor=SYSTEM, person_id=s.person_id, kind="confirmed", found_by="screening",
                                              confirmed_at=now, sampled_at=min(s.sampled_at, now),
                                              source=f"screening.sample:{s.pk}")
        except Conflict:
            case = None  # the person is a known case already: nothing new to report
        case_id = None
        if case is not None:
            case_id = case.pk
            n += 1
        if retest is not None:
            Retest.objects.filter(pk=retest.pk).update(status=RetestStatus.POSITIVE, resolved_at=now, case_id=case_id)
            Sample.objects.filter(pk=retest.sample_id, result=SampleResult.HELD).update(result=SampleResult.POSITIVE)
            command_services.task_close_by_source(actor=SYSTEM, source=f"screening.retest:{retest.pk}", result="retest positive")
            pools.add(retest.pool_tube_id)
    _resolve_pools(pool_ids=pools, now=now)
    return n


def _retest_sampled_at(retest: Retest, sampled_at) -> dt.datetime:
    now = clock.now()
    sampled_at = aware(sampled_at, field="sampled_at") or now
    if sampled_at > now + CLOCK_SLACK:
        raise ServiceError.field("sampled_at", _("is in the future"))
    if sampled_at < retest.sample.sampled_at:
        raise ServiceError.field("sampled_at", _("is before the pooled sample it retests"))
    return sampled_at


def retest_register(*, actor, retest: Retest, tube: str, site_id: int | None = None,
                    sampled_at: dt.datetime | None = None) -> Sample:
    """Take the single-tube retest sample of a held pool member (tube capacity 1)."""
    require(actor, ("sample", "change"), retest.region_path)
    code = rules.normalise_barcode(tube)
    if not rules.barcode_ok(code):
        raise ServiceError.field("tube", _("malformed barcode %(code)r (6-64 letters, digits or dashes)") % {"code": code})
    RETEST_LIFECYCLE.step(retest.status, RetestStatus.SAMPLED, field="retest")
    if Tube.objects.filter(code=code).exists():
        raise ServiceError.field("tube", _("tube %(code)s is in use already") % {"code": code}, code="tube_in_use")
    sampled_at = _retest_sampled_at(retest, sampled_at)
    site = retest.sample.site if site_id is None else Site.objects.filter(round_id=retest.round_id, pk=site_id).first()
    if site is None:
        raise ServiceError.field("site", _("is not a site of this round (wrong site)"), code="wrong_site")
    with transaction.atomic():
        t = Tube.objects.create(round_id=retest.round_id, site=site, region_path=site.region_path, code=code, capacity=1,
                                count=1, status=TubeStatus.CLOSED, is_retest=True, opened_at=sampled_at, closed_at=sampled_at)
        s = Sample.objects.create(round_id=retest.round_id, person_id=retest.person_id, tube=t, site=site,
                                  sampled_at=sampled_at, region_path=retest.region_path, is_retest=True,
                                  sampler_id=user_id(actor))
        Retest.objects.filter(pk=retest.pk).update(retest_sample=s, status=RetestStatus.SAMPLED)
        audit.record(actor, "retest.sample", retest, changes={"tube": code})
    retest.refresh_from_db()
    return s
