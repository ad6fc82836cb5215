"""Positive pools and single-tube retests: everyone in a positive pool is held at home with a retest
task; a negative retest releases them, a positive one is reported as a case; a pool resolves when its
last member's retest result arrives."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, Value, When
from django.utils.translation import gettext as _

from cordon.cases import services as cases_services
from cordon.command import services as command_services
from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.core.notify import notifier
from cordon.screening import rules
from cordon.screening.enums import RETEST_LIFECYCLE, RetestStatus, SampleResult, TubeStatus
from cordon.screening.models import Retest, Sample, Site, Tube
from cordon.screening.services.common import (
    CHUNK,
    CLOCK_SLACK,
    HELD_REASON,
    MAX_BATCH,
    SYSTEM,
    aware,
    chunks,
    require,
    user_id,
)
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


RETEST_COLUMNS = ("id", "round_id", "person_id", "region_path", "status", "sample__sampled_at", "sample__site_id")


def _retest_ids(items: list[dict], errors: list[dict]) -> list[int | None]:
    """Each row's retest id (a Retest or its id); None, with the row's error, when it is missing or not a number."""
    ids: list[int | None] = []
    for n, it in enumerate(items, 1):
        value = it.get("retest")
        value = value.pk if isinstance(value, Retest) else value
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            errors.append({"row": n, "field": "retest", "message": _("is required (the retest's id)"), "code": "required"})
            ids.append(None)
    return ids


class _RetestBatch:
    """A batch of retest samples while its rows are checked: the retests (as the actor may see them), their sites and the
    tube codes in use, the rows to store and the errors by row."""

    def __init__(self, *, actor, items: list[dict], now: dt.datetime):
        self.items, self.now, self.slack = items, now, now + CLOCK_SLACK
        self.errors: list[dict] = []
        self.ids = _retest_ids(items, self.errors)
        visible = access.scope(Retest.objects.all(), actor, "view")
        self.retests = {r[0]: dict(zip(RETEST_COLUMNS, r, strict=True)) for chunk in chunks({i for i in self.ids if i})
                        for r in visible.filter(pk__in=chunk).values_list(*RETEST_COLUMNS)}
        for path in {r["region_path"] for r in self.retests.values()}:
            require(actor, ("sample", "change"), path)  # a retest the actor sees but may not sample: 403, nothing written
        self.codes = [rules.normalise_barcode(it.get("tube")) for it in items]
        self.in_use = {c for chunk in chunks({c for c in self.codes if rules.barcode_ok(c)})
                       for c in Tube.objects.filter(code__in=chunk).values_list("code", flat=True)}
        site_ids = {r["sample__site_id"] for r in self.retests.values()}
        for it in items:
            if it.get("site") not in (None, ""):
                try:
                    site_ids.add(int(it["site"]))
                except (TypeError, ValueError):
                    pass  # refused by row in site()
        self.sites = {pk: (rid, path) for chunk in chunks(site_ids)
                      for pk, rid, path in Site.objects.filter(pk__in=chunk).values_list("id", "round_id", "region_path")}
        self.seen_retests: dict[int, int] = {}
        self.seen_codes: dict[str, int] = {}
        self.rows: list[tuple[dict, str, int, dt.datetime]] = []  # (retest, tube code, site id, sampled at)

    def bad(self, n: int, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append({"row": n, "field": field, "message": message, "code": code})

    def retest(self, n: int, pk: int | None) -> dict | None:
        if pk is None:
            return None
        r = self.retests.get(pk)
        if r is None:
            self.bad(n, "retest", _("no retest #%(id)s in your area") % {"id": pk}, "not_found")
        elif pk in self.seen_retests:
            self.bad(n, "retest", _("appears twice in this batch (row %(row)s)") % {"row": self.seen_retests[pk]}, "duplicate")
        else:
            self.seen_retests[pk] = n
            try:
                RETEST_LIFECYCLE.check(r["status"], RetestStatus.SAMPLED, field="retest", row=n)
            except ServiceError as exc:
                self.errors.extend({**f, "code": exc.code} for f in exc.fields)
                return None
            return r
        return None

    def tube(self, n: int, code: str) -> bool:
        if not rules.barcode_ok(code):
            self.bad(n, "tube", _("malformed barcode %(code)r (6-64 letters, digits or dashes)") % {"code": code}, "invalid")
        elif code in self.in_use:
            self.bad(n, "tube", _("tube %(code)s is in use already") % {"code": code}, "tube_in_use")
        elif code in self.seen_codes:
            self.bad(n, "tube", _("tube %(code)s appears twice in this batch (row %(row)s)") % {"code": code, "row": self.seen_codes[code]},
                     "tube_in_use")
        else:
            self.seen_codes[code] = n
            return True
        return False

    def sampled_at(self, n: int, r: dict, when) -> dt.datetime | None:
        sampled_at = aware(when, field="sampled_at", row=n, errors=self.errors) if when not in (None, "") else self.now
        if sampled_at is None:
            return None
        if sampled_at > self.slack:
            self.bad(n, "sampled_at", _("is in the future"))
        elif sampled_at < r["sample__sampled_at"]:
            self.bad(n, "sampled_at", _("is before the pooled sample it retests"))
        else:
            return sampled_at
        return None

    def site(self, n: int, r: dict, value) -> int | None:
        """The row's site: the one given, which must be a site of the retest's round, else where the pool was sampled."""
        try:
            pk = r["sample__site_id"] if value in (None, "") else int(value)
        except (TypeError, ValueError):
            pk = None
        if pk is None or self.sites.get(pk, (None,))[0] != r["round_id"]:
            self.bad(n, "site", _("is not a site of this round (wrong site)"), "wrong_site")
            return None
        return pk

    def check(self) -> None:
        """Every row checked (in the order the one-item service always refused: tube, retest, sampled_at, site)."""
        for n, (it, pk, code) in enumerate(zip(self.items, self.ids, self.codes, strict=True), 1):
            tube_ok = self.tube(n, code)
            r = self.retest(n, pk)
            if r is None:
                continue
            sampled_at = self.sampled_at(n, r, it.get("sampled_at"))
            site = self.site(n, r, it.get("site"))
            if tube_ok and sampled_at is not None and site is not None:
                self.rows.append((r, code, site, sampled_at))

    def refuse(self) -> None:
        """Raise every refused row at once: the one-item case as the single error it always was (a status that forbids
        sampling is a conflict, 409); a batch as invalid_rows naming each row and field."""
        errors = self.errors
        if not errors:
            return
        if len(self.items) == 1:
            first = errors[0]
            error = Conflict if first.get("code") == "transition" else ServiceError
            raise error.field(first["field"], first["message"], code=first.get("code"))
        first = errors[0]
        raise ServiceError(_("%(len_errors)s of %(len_items)s rows refused; nothing was stored. First: row %(row)s, %(field)s: %(message)s")
                           % {"len_errors": len(errors), "len_items": len(self.items), "row": first["row"], "field": first["field"],
                              "message": first["message"]}, code="invalid_rows", fields=errors)


def retests_register(*, actor, items: list[dict]) -> list[Sample]:
    """Take the single-tube retest samples of held pool members (tube capacity 1), each row {retest (a Retest or its id),
    tube, site (optional: where the pool was sampled), sampled_at (optional: now)}. Every row is checked first (the retest
    in the actor's area and still pending, the tube's barcode and not in use nor twice in the batch, the site of the
    retest's round, the time) and nothing is written when any row is refused; then the tubes and samples are inserted in
    bulk, the retests moved to sampled with one UPDATE per chunk, and one audit entry names every retest and its tube.
    Returns the retest samples in the rows' order."""
    if not items:
        raise ServiceError.field("items", _("the batch is empty"))
    if len(items) > MAX_BATCH:
        raise ServiceError.field("items", _("at most %(MAX_BATCH)s retests per batch (%(len_items)s sent)")
                                 % {"MAX_BATCH": MAX_BATCH, "len_items": len(items)})
    batch = _RetestBatch(actor=actor, items=items, now=clock.now())
    batch.check()
    batch.refuse()
    sampler_id = user_id(actor)
    tubes = [Tube(round_id=r["round_id"], site_id=site, region_path=batch.sites[site][1], code=code, capacity=1, count=1,
                  status=TubeStatus.CLOSED, is_retest=True, opened_at=at, closed_at=at) for r, code, site, at in batch.rows]
    try:
        with transaction.atomic():
            Tube.objects.bulk_create(tubes, batch_size=CHUNK)
            samples = Sample.objects.bulk_create(
                [Sample(round_id=r["round_id"], person_id=r["person_id"], tube=t, site_id=site, sampled_at=at,
                        region_path=r["region_path"], is_retest=True, sampler_id=sampler_id)
                 for (r, _code, site, at), t in zip(batch.rows, tubes, strict=True)], batch_size=CHUNK)
            pairs = [(r["id"], s.pk) for (r, *_rest), s in zip(batch.rows, samples, strict=True)]
            for chunk in chunks(pairs, 500):
                moved = Retest.objects.filter(pk__in=[pk for pk, _s in chunk], status=RetestStatus.PENDING).update(
                    status=RetestStatus.SAMPLED,
                    retest_sample_id=Case(*[When(pk=pk, then=Value(s)) for pk, s in chunk], output_field=BigIntegerField()))
                if moved != len(chunk):
                    raise Conflict(_("a retest of this batch was sampled by someone else at the same time; nothing was "
                                     "stored, reload the list"), code="transition")
            _audit_sampled(actor, batch.rows)
    except IntegrityError:
        raise Conflict(_("a tube of this batch was put in use by another upload at the same time; nothing was stored, "
                         "retry the batch"), code="tube_in_use")
    for it, s in zip(items, samples, strict=True):
        if isinstance(it.get("retest"), Retest):  # the caller's object follows the write, as it did with refresh_from_db
            it["retest"].retest_sample_id, it["retest"].status = s.pk, RetestStatus.SAMPLED
    return samples


def _audit_sampled(actor, rows: list[tuple[dict, str, int, dt.datetime]]) -> None:
    """One entry: retest.sample naming the retest when one was sampled, else retest.sample_bulk naming every retest and
    its tube."""
    if len(rows) == 1:
        r, code = rows[0][0], rows[0][1]
        audit.record(actor, "retest.sample", object_type=Retest._meta.label_lower, object_id=r["id"],
                     region_path=r["region_path"], changes={"tube": code})
        return
    ids = [r["id"] for r, *_rest in rows]
    audit.record(actor, "retest.sample_bulk", object_type=Retest._meta.label_lower, object_id=",".join(map(str, ids)),
                 region_path=audit.batch_path([r["region_path"] for r, *_rest in rows]),
                 changes={"count": len(rows), "tubes": {str(r["id"]): code for r, code, *_rest in rows}})


def retest_register(*, actor, retest: Retest, tube: str, site_id: int | None = None,
                    sampled_at: dt.datetime | None = None) -> Sample:
    """Take the single-tube retest sample of a held pool member (tube capacity 1): the one-item case of retests_register."""
    return retests_register(actor=actor, items=[{"retest": retest, "tube": tube, "site": site_id, "sampled_at": sampled_at}])[0]
