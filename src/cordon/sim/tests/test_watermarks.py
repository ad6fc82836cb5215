"""The twin's incremental checks (sim.watermarks, issue 24): after each write the hourly check that reads only the
rows new or changed since the last one finds exactly what the full check finds, and it does read only those."""

import datetime as dt
import itertools

import pytest

from cordon.checkpoints.models import Checkpoint, Inspection
from cordon.community.models import EntranceLog
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.quarantine.factories import born
from cordon.quarantine.models import Stay
from cordon.sim import invariants, watermarks
from cordon.status.models import StatusChange
from cordon.zones.models import Zone, ZoneHousehold

_n = itertools.count(1)


def _base():
    return clock.day_start(clock.day_of(clock.now())) + dt.timedelta(hours=1)


def _adult(city):
    return PersonFactory(grid=city.a_grid, birth_date=born(40))


def _insp(cp, person, at, *, colour="", result="pass", **kw):
    return Inspection.objects.create(checkpoint=cp, region_path=cp.region_path, person=person, colour=colour,
                                     direction="out", at=at, result=result,
                                     reason="ok" if result == "pass" else "no_exit", **kw)


def _exit(city, person, at, *, colour="", **kw):
    return EntranceLog.objects.create(community=city.a_community, region_path=person.region_path, compound="幸福小区",
                                      direction="out", at=at, person=person, colour=colour, **kw)


def _same(watch, full, now):
    got = watch(actor=SYSTEM, now=now)
    want = full(actor=SYSTEM, now=now)
    assert [v.key for v in got] == [v.key for v in want]
    return {(v.kind, v.ids) for v in got}


@pytest.mark.django_db
def test_passages_checked_incrementally_agree_with_the_full_check_after_each_write(city, cast):
    base = _base()
    cp = Checkpoint.objects.create(name="G1", code=f"WM{next(_n)}", kind="road", region=city.a, region_path=city.a.path)
    watch, full = watermarks.PassageWatch(), invariants.no_red_or_sealed_passage
    green, red, held, late, turned, sealed = (_adult(city) for _ in range(6))
    _insp(cp, green, base - dt.timedelta(minutes=10), colour="green")
    i_red = _insp(cp, red, base - dt.timedelta(minutes=5), colour="red")
    assert _same(watch, full, base) == {("checkpoints.inspection", (i_red.pk,))}
    hold = _insp(cp, held, base + dt.timedelta(minutes=30), colour="red", result="hold")  # not a passage
    e_old = _exit(city, late, base - dt.timedelta(hours=3), colour="yellow")  # uploaded late, timed before
    future = _insp(cp, late, base + dt.timedelta(hours=3), colour="red")  # timed after the next check
    e_turned = _exit(city, turned, base + dt.timedelta(minutes=40))  # no colour on the row: green then
    found = _same(watch, full, base + dt.timedelta(hours=1))
    assert found == {("checkpoints.inspection", (i_red.pk,)), ("community.entrancelog", (e_old.pk,))}
    Inspection.objects.filter(pk=hold.pk).update(overridden_at=base + dt.timedelta(hours=1), override_reason="透析",
                                                 overridden_by=cast.field_a)  # a grid worker may not override
    assert ("checkpoints.inspection", (hold.pk,)) in _same(watch, full, base + dt.timedelta(hours=2))
    assert ("checkpoints.inspection", (future.pk,)) in _same(watch, full, base + dt.timedelta(hours=3))
    assert watch.partial == 3 and watch.full == 1
    StatusChange.objects.create(person=turned, region_path=turned.region_path, at=base + dt.timedelta(minutes=35),
                                colour_from="green", colour_to="red", ruleset="protocol-9")  # recorded late
    assert ("community.entrancelog", (e_turned.pk,)) in _same(watch, full, base + dt.timedelta(hours=4))
    assert watch.full == 2
    e_sealed = _exit(city, sealed, base + dt.timedelta(minutes=50))
    _same(watch, full, base + dt.timedelta(hours=5))
    zone = Zone.objects.create(name="封控1", kind="sealed", status="in_force", ruleset="protocol-8", drawn_by="unit",
                               district_path=city.a.path, region_path=city.a.path, designated_at=base - dt.timedelta(days=1),
                               in_force_at=base - dt.timedelta(days=1))
    ZoneHousehold.objects.create(zone=zone, household=sealed.household)  # a zone drawn since: a full check
    assert ("community.entrancelog", (e_sealed.pk,)) in _same(watch, full, base + dt.timedelta(hours=6))
    Zone.objects.filter(pk=zone.pk).update(status="cancelled")
    assert ("community.entrancelog", (e_sealed.pk,)) not in _same(watch, full, base + dt.timedelta(hours=7))
    assert watch.full == 4 and watch.partial == 4


@pytest.mark.django_db
def test_the_passage_check_reads_only_new_rows_within_a_day_and_everything_on_a_new_day(city):
    base = _base()
    cp = Checkpoint.objects.create(name="G2", code=f"WM{next(_n)}", kind="road", region=city.a, region_path=city.a.path)
    p = _adult(city)
    old = _insp(cp, p, base - dt.timedelta(minutes=5), colour="green")
    watch = watermarks.PassageWatch()
    assert watch(actor=SYSTEM, now=base) == []
    # No service changes a passage once written; a row changed in place is not read again within the day...
    Inspection.objects.filter(pk=old.pk).update(colour="red")
    assert watch(actor=SYSTEM, now=base + dt.timedelta(hours=1)) == []
    # ...and is at the first check of the next city day, which reads every row.
    tomorrow = clock.day_start(clock.day_of(base) + dt.timedelta(days=1))
    assert [v.ids for v in watch(actor=SYSTEM, now=tomorrow)] == [(old.pk,)]
    assert (watch.full, watch.partial) == (2, 1)


def _plan(person, released_at, end):
    return RiskPerson.objects.create(person=person, region_path=person.region_path, category="close_contact",
                                     status="released", last_exposure=released_at - dt.timedelta(days=3),
                                     released_at=released_at, measures_end=end)


def _why(plan, why, k):
    AuditEntry.objects.create(at=clock.now(), actor_label="t", action="contacts.release", object_type="contacts.riskperson",
                              object_id=str(plan.pk), changes={"why": why}, prev_hash=str(k), hash=str(k + 1))


@pytest.mark.django_db
def test_releases_checked_incrementally_agree_with_the_full_check_after_each_write(city):
    base = _base()
    end = clock.day_of(base) + dt.timedelta(days=2)
    watch, full = watermarks.ReleaseWatch(), invariants.no_early_end_without_reason
    a, b, c = _adult(city), _adult(city), _adult(city)
    p1 = _plan(a, base - dt.timedelta(minutes=10), end)
    assert _same(watch, full, base) == {("contacts.riskperson", (p1.pk,))}
    _why(p1, "source case was a false positive", 1)  # documented afterwards
    p2 = _plan(b, base + dt.timedelta(minutes=20), end)
    p3 = _plan(c, base + dt.timedelta(minutes=25), end)
    _why(p3, "criteria met", 2)  # the default reason documents nothing
    assert _same(watch, full, base + dt.timedelta(hours=1)) == {("contacts.riskperson", (p2.pk,)),
                                                                  ("contacts.riskperson", (p3.pk,))}
    under = RiskPerson.objects.create(person=a, region_path=a.region_path, category="secondary_contact",
                                      status="under_measures", last_exposure=base - dt.timedelta(days=1), measures_end=end)
    RiskPerson.objects.filter(pk=under.pk).update(status="released", released_at=base + dt.timedelta(hours=1, minutes=5))
    stay = Stay.objects.create(person=c, region_path=c.region_path, kind="home_isolation", start=clock.day_of(base),
                               status="released", planned_end=end, category="close_contact", monitor_token="wm0000001",
                               released_at=base + dt.timedelta(hours=1, minutes=10))
    assert _same(watch, full, base + dt.timedelta(hours=2)) == {
        ("contacts.riskperson", (p2.pk,)), ("contacts.riskperson", (p3.pk,)), ("contacts.riskperson", (under.pk,)),
        ("quarantine.stay", (stay.pk,))}
    assert (watch.full, watch.partial) == (1, 2)
