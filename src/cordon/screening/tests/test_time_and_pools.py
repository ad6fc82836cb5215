"""Issue 19: lab result times must follow the swab (sampled <= received <= tested <= now); a positive pool
resolves when its last member's single-tube retest result arrives."""

import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.screening import selectors, services
from cordon.screening.enums import RetestStatus, SampleResult, TubeStatus
from cordon.screening.factories import sampled_tube, tube_code
from cordon.screening.models import Retest, Sample, Tube
from cordon.status.models import StatusReason

pytestmark = pytest.mark.django_db


def _iso(when: dt.datetime) -> str:
    return clock.local(when).isoformat(timespec="minutes")


def test_a_result_received_before_its_sample_was_taken_is_a_row_error_naming_received_at(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    with pytest.raises(ServiceError) as err:
        services.results_apply(actor=cast.commander, items=[
            {"row": 2, "tube": code, "result": "negative", "received_at": _iso(clock.now() - dt.timedelta(hours=3))}])
    assert [(f["row"], f["field"]) for f in err.value.fields] == [(2, "received_at")]
    assert "before the last sample" in err.value.fields[0]["message"]
    assert Tube.objects.get(code=code).status != TubeStatus.TESTED


def test_a_result_received_in_the_future_is_a_row_error_naming_received_at(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    with pytest.raises(ServiceError) as err:
        services.results_apply(actor=cast.commander, items=[
            {"tube": code, "result": "negative", "received_at": _iso(clock.now() + dt.timedelta(days=1))}])
    assert [f["field"] for f in err.value.fields] == ["received_at"]
    assert err.value.fields[0]["message"] == "晚于当前时间"


def test_a_result_tested_before_the_tube_was_received_or_sampled_is_a_row_error_naming_tested_at(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    now = clock.now()
    with pytest.raises(ServiceError) as err:
        services.results_apply(actor=cast.commander, items=[
            {"tube": code, "result": "negative", "received_at": _iso(now + dt.timedelta(minutes=2)),
             "tested_at": _iso(now + dt.timedelta(minutes=1))}])
    assert [f["field"] for f in err.value.fields] == ["tested_at"]
    with pytest.raises(ServiceError) as err:
        services.results_apply(actor=cast.commander, items=[
            {"tube": code, "result": "negative", "tested_at": _iso(now - dt.timedelta(hours=5))}])
    assert [f["field"] for f in err.value.fields] == ["tested_at"]
    # times in order are accepted
    out = services.results_apply(actor=cast.commander, items=[
        {"tube": code, "result": "negative", "received_at": _iso(now + dt.timedelta(minutes=1)),
         "tested_at": _iso(now + dt.timedelta(minutes=2))}])
    assert out["negative"] == 1


def _positive_pool_retested(setup, city, cast, *, n):
    """A pool of n tested positive, each member's single-tube retest sampled: (pool code, people, retest codes)."""
    rnd, site = setup
    code, people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=n)
    services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive"}])
    retests = list(Retest.objects.filter(pool_tube__code=code).order_by("id"))
    codes = [tube_code() for _ in retests]
    for r, c in zip(retests, codes, strict=True):
        services.retest_register(actor=cast.officer_a, retest=r, tube=c)
    return code, people, codes


def test_a_held_pool_whose_members_all_retest_negative_resolves_negative_and_clears_their_hold(setup, city, cast):
    code, people, codes = _positive_pool_retested(setup, city, cast, n=3)
    services.results_apply(actor=cast.commander, items=[{"tube": c, "result": "negative"} for c in codes[:2]])
    pool = Tube.objects.get(code=code)
    assert pool.resolved_at is None and pool.resolution == ""  # one member still open
    services.results_apply(actor=cast.commander, items=[{"tube": codes[2], "result": "negative"}])
    pool.refresh_from_db()
    assert pool.resolution == "negative" and pool.resolved_at is not None
    assert set(Sample.objects.filter(tube=pool).values_list("result", flat=True)) == {SampleResult.NEGATIVE}
    assert not StatusReason.objects.filter(person__in=people, reason="held_positive_pool", active=True).exists()
    assert set(Retest.objects.filter(pool_tube=pool).values_list("status", flat=True)) == {RetestStatus.NEGATIVE}
    p = people[0]
    looked = selectors.result_lookup(id_number=p.id_number, phone=p.phone)
    assert looked is None or all(r["result"] != "pending" for r in looked["results"])


def test_a_pool_with_a_positive_member_resolves_positive_when_the_last_retest_arrives(setup, city, cast):
    code, _, codes = _positive_pool_retested(setup, city, cast, n=2)
    services.results_apply(actor=cast.commander, items=[{"tube": codes[0], "result": "positive"}])
    assert Tube.objects.get(code=code).resolved_at is None
    services.results_apply(actor=cast.commander, items=[{"tube": codes[1], "result": "negative"}])
    pool = Tube.objects.get(code=code)
    assert pool.resolution == "positive" and pool.resolved_at is not None
    assert sorted(Sample.objects.filter(tube=pool).values_list("result", flat=True)) == [
        SampleResult.NEGATIVE, SampleResult.POSITIVE]


def test_a_retest_sample_taken_in_the_future_is_refused_naming_sampled_at(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive"}])
    r = Retest.objects.filter(pool_tube__code=code).first()
    with pytest.raises(ServiceError) as err:
        services.retest_register(actor=cast.officer_a, retest=r, tube=tube_code(),
                                 sampled_at=clock.now() + dt.timedelta(days=1))
    assert err.value.fields[0]["field"] == "sampled_at"
