"""Single-tube retests registered as a batch (services.retests_register): every row checked first, nothing written when
one is refused (the refusal names the row and the field, in Chinese), the writes set-based with one audit entry naming
every retest and its tube; retest_register is its one-item case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.models import AuditEntry
from cordon.screening import services
from cordon.screening.enums import RetestStatus
from cordon.screening.factories import sampled_tube, tube_code
from cordon.screening.models import Retest, Sample, Tube


def _held(setup, city, cast, n: int) -> list[Retest]:
    """A pool of n members resulted positive: their pending retests, in id order."""
    rnd, site = setup
    code, _people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=n)
    services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive"}])
    return list(Retest.objects.filter(pool_tube__code=code).order_by("id"))


def _nothing_written(retests: list[Retest], codes: list[str], audited: int = 0) -> None:
    """The retests still pending, none of the tubes stored, no retest sample and no retest audit entry after `audited`."""
    assert set(Retest.objects.filter(pk__in=[r.pk for r in retests]).values_list("status", flat=True)) == {RetestStatus.PENDING}
    assert not Tube.objects.filter(code__in=codes).exists()
    assert not Sample.objects.filter(is_retest=True, person_id__in=[r.person_id for r in retests]).exists()
    assert not AuditEntry.objects.filter(action__startswith="retest.sample", pk__gt=audited).exists()


def test_a_batch_samples_every_retest_with_one_audit_entry_naming_each_retest_and_tube(setup, city, cast):
    retests = _held(setup, city, cast, 4)
    codes = [tube_code() for _ in retests]
    at = clock.now() + dt.timedelta(minutes=1)
    samples = services.retests_register(actor=cast.officer_a, items=[
        {"retest": r if i % 2 else r.pk, "tube": c.lower(), "sampled_at": at} for i, (r, c) in enumerate(zip(retests, codes, strict=True))])
    assert [s.person_id for s in samples] == [r.person_id for r in retests]
    rows = {r.pk: r for r in Retest.objects.filter(pk__in=[r.pk for r in retests]).select_related("retest_sample__tube")}
    for r, c, s in zip(retests, codes, samples, strict=True):
        got = rows[r.pk]
        assert got.status == RetestStatus.SAMPLED and got.retest_sample_id == s.pk
        tube = got.retest_sample.tube
        assert (tube.code, tube.capacity, tube.count, tube.status, tube.is_retest) == (c, 1, 1, "closed", True)
        assert got.retest_sample.is_retest and got.retest_sample.sampled_at == at and got.retest_sample.sampler_id == cast.officer_a.pk
        assert tube.site_id == got.retest_sample.site_id == r.sample.site_id
    assert retests[1].status == RetestStatus.SAMPLED and retests[1].retest_sample_id == samples[1].pk  # the caller's objects
    entries = list(AuditEntry.objects.filter(action__startswith="retest.sample"))
    assert [e.action for e in entries] == ["retest.sample_bulk"]
    assert entries[0].changes == {"count": 4, "tubes": {str(r.pk): c for r, c in zip(retests, codes, strict=True)}}
    assert entries[0].object_type == "screening.retest" and entries[0].region_path == city.a_grid.path


def test_the_queries_of_a_batch_do_not_grow_with_its_retests(setup, city, cast):
    counts = []
    for n in (2, 6):
        retests = _held(setup, city, cast, n)
        with CaptureQueriesContext(connection) as ctx:
            services.retests_register(actor=cast.officer_a, items=[{"retest": r, "tube": tube_code()} for r in retests])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_one_bad_row_refuses_the_whole_batch_naming_the_row_and_field_in_chinese(setup, city, cast):
    retests = _held(setup, city, cast, 3)
    codes = [tube_code(), "BAD", tube_code()]
    with translation.override("zh-hans"), pytest.raises(ServiceError) as err:
        services.retests_register(actor=cast.officer_a, items=[{"retest": r, "tube": c} for r, c in zip(retests, codes, strict=True)])
    assert err.value.code == "invalid_rows"
    assert [(f["row"], f["field"]) for f in err.value.fields] == [(2, "tube")]
    assert "条码格式错误" in err.value.fields[0]["message"] and "第 2" in err.value.message
    _nothing_written(retests, codes)


def test_the_same_tube_or_the_same_retest_twice_in_a_batch_is_refused_by_row(setup, city, cast):
    retests = _held(setup, city, cast, 3)
    code = tube_code()
    with translation.override("zh-hans"), pytest.raises(ServiceError) as err:
        services.retests_register(actor=cast.officer_a, items=[
            {"retest": retests[0], "tube": code}, {"retest": retests[1], "tube": code}, {"retest": retests[0].pk, "tube": tube_code()}])
    assert [(f["row"], f["field"], f["code"]) for f in err.value.fields] == [(2, "tube", "tube_in_use"), (3, "retest", "duplicate")]
    assert "第 1 行" in err.value.fields[0]["message"] and "第 1 行" in err.value.fields[1]["message"]
    _nothing_written(retests, [code])


def test_a_tube_in_use_a_sampled_retest_a_wrong_site_and_a_time_before_the_pool_are_named_by_row(setup, city, cast):
    retests = _held(setup, city, cast, 5)
    services.retest_register(actor=cast.officer_a, retest=retests[0], tube=tube_code())
    audited = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    pool_code = retests[1].pool_tube.code
    early = retests[3].sample.sampled_at - dt.timedelta(hours=1)
    with pytest.raises(ServiceError) as err:
        services.retests_register(actor=cast.officer_a, items=[
            {"retest": retests[0], "tube": tube_code()}, {"retest": retests[1], "tube": pool_code},
            {"retest": retests[2], "tube": tube_code(), "site": 999_999}, {"retest": retests[3], "tube": tube_code(), "sampled_at": early},
            {"retest": retests[4], "tube": tube_code()}])
    assert [(f["row"], f["field"]) for f in err.value.fields] == [(1, "retest"), (2, "tube"), (3, "site"), (4, "sampled_at")]
    _nothing_written(retests[1:], [], audited)


def test_a_retest_outside_the_actors_area_is_refused_and_nothing_is_written(setup, city, cast):
    retests = _held(setup, city, cast, 2)
    codes = [tube_code(), tube_code()]
    items = [{"retest": r.pk, "tube": c} for r, c in zip(retests, codes, strict=True)]
    # another district's officer: the retests answer as unknown ones, by row
    with pytest.raises(ServiceError) as err:
        services.retests_register(actor=cast.officer_b, items=items)
    assert [(f["row"], f["field"], f["code"]) for f in err.value.fields] == [(1, "retest", "not_found"), (2, "retest", "not_found")]
    # a viewer of the district sees them but may not sample them
    with pytest.raises(PermissionDenied):
        services.retests_register(actor=cast.viewer_a, items=items)
    _nothing_written(retests, codes)


def test_the_one_item_case_keeps_its_single_refusals(setup, city, cast):
    retests = _held(setup, city, cast, 2)
    services.retest_register(actor=cast.officer_a, retest=retests[0], tube=tube_code())
    with pytest.raises(Conflict) as err:
        services.retest_register(actor=cast.officer_a, retest=retests[0], tube=tube_code())
    assert err.value.code == "transition" and err.value.fields[0]["field"] == "retest" and "row" not in err.value.fields[0]
    with pytest.raises(ServiceError) as err:
        services.retest_register(actor=cast.officer_a, retest=retests[1], tube="bad")
    assert err.value.fields == [{"field": "tube", "message": err.value.fields[0]["message"]}]
    entries = list(AuditEntry.objects.filter(action__startswith="retest.sample"))
    assert [(e.action, e.object_id, e.changes["tube"]) for e in entries] == [("retest.sample", str(retests[0].pk), retests[0].retest_sample.tube.code)]


def test_the_bulk_route_stores_a_batch_once_and_refuses_a_bad_one_by_row(setup, city, cast, api_client):
    retests = _held(setup, city, cast, 3)
    client = api_client(cast.officer_a)
    url = "/api/v1/screening/retests/samples"
    codes = [tube_code(), tube_code()]
    bad = client.post(url, {"items": [{"retest": retests[0].pk, "tube": codes[0]}, {"retest": retests[1].pk, "tube": codes[0]}]},
                      content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert [(f["row"], f["field"]) for f in fields] == [(2, "tube")] and "本批中出现两次" in fields[0]["message"]
    _nothing_written(retests, codes)
    body = {"items": [{"retest": r.pk, "tube": c} for r, c in zip(retests[:2], codes, strict=True)]}
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201, first.content
    got = first.json()
    assert got["accepted"] == 2 and [(i["retest"], i["tube"]) for i in got["items"]] == [(r.pk, c) for r, c in zip(retests, codes, strict=False)]
    again = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert Sample.objects.filter(is_retest=True, tube__code__in=codes).count() == 2
    assert Retest.objects.get(pk=retests[2].pk).status == RetestStatus.PENDING
