import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.screening import metrics, selectors, services
from cordon.screening.enums import RetestStatus, SampleResult, TubeStatus
from cordon.screening.factories import make_site, sampled_tube, tube_code
from cordon.screening.models import Retest, Sample, Tube
from cordon.status.models import HealthStatus, StatusReason


def test_planning_a_round_groups_grids_into_sites_and_sizes_staff_from_the_rule_set(city, cast):
    for _ in range(5):
        PersonFactory(grid=city.a_grid)
    PersonFactory(grid=city.a_grid2)
    now = clock.now()
    rnd = services.round_plan(actor=cast.officer_a, name="全员核酸", region=city.a, starts_at=now,
                              ends_at=now + dt.timedelta(hours=24), pool_size=10)
    sites = list(rnd.sites.all())
    assert len(sites) == 1 and sites[0].population == 6
    assert sorted(sites[0].grid_paths) == sorted([city.a_grid.path, city.a_grid2.path])
    assert rnd.plan["population"] == 6 and rnd.plan["tubes"] == 1 and rnd.plan["samplers"] == 1
    assert rnd.status == "draft"
    with pytest.raises(PermissionDenied):
        services.round_plan(actor=cast.officer_b, name="x", region=city.a, starts_at=now, ends_at=now + dt.timedelta(hours=1))
    with pytest.raises(ServiceError) as err:
        services.round_plan(actor=cast.officer_a, name="x", region=city.a, starts_at=now, ends_at=now)
    assert err.value.fields[0]["field"] == "ends_at"


def test_registering_a_batch_fills_and_closes_tubes_and_writes_one_audit_entry(setup, city, cast):
    rnd, site = setup
    people = [PersonFactory(grid=city.a_grid) for _ in range(12)]
    code1, code2 = tube_code(), tube_code()
    before = AuditEntry.objects.count()
    out = services.samples_register(actor=cast.officer_a, round_id=rnd.pk, items=[
        {"person": p.id_number if i % 2 else p.token, "tube": code1 if i < 10 else code2, "site": site.pk}
        for i, p in enumerate(people)])
    assert out["accepted"] == 12 and out["tubes_opened"] == 2
    assert Tube.objects.get(code=code1).status == TubeStatus.CLOSED
    assert Tube.objects.get(code=code2).count == 2 and Tube.objects.get(code=code2).status == TubeStatus.OPEN
    assert Sample.objects.filter(round=rnd).count() == 12
    assert AuditEntry.objects.count() == before + 1
    more = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    services.samples_register(actor=cast.officer_a, round_id=rnd.pk,
                              items=[{"person": p.id_number, "tube": code2, "site": site.pk} for p in more])
    assert Tube.objects.get(code=code2).count == 5


def test_a_bad_batch_is_refused_whole_with_errors_naming_row_and_field(setup, city, cast):
    rnd, site = setup
    p1, p2, p3 = (PersonFactory(grid=city.a_grid) for _ in range(3))
    outsider = PersonFactory(grid=city.b_grid)
    full = tube_code()
    services.samples_register(actor=cast.officer_a, round_id=rnd.pk, items=[{"person": p1.id_number, "tube": full, "site": site.pk}])
    services.tube_close(actor=cast.officer_a, code=full)
    with pytest.raises(ServiceError) as err:
        services.samples_register(actor=cast.officer_a, round_id=rnd.pk, items=[
            {"person": p2.id_number, "tube": tube_code(), "site": site.pk},  # fine
            {"person": p1.id_number, "tube": tube_code(), "site": site.pk},  # already sampled
            {"person": "110101199001011234", "tube": tube_code(), "site": site.pk},  # unknown
            {"person": p3.id_number, "tube": "bad code!", "site": site.pk},  # malformed
            {"person": outsider.id_number, "tube": tube_code(), "site": site.pk},  # outside the round
            {"person": p3.id_number, "tube": full, "site": site.pk},  # closed tube
            {"person": p3.id_number, "tube": tube_code(), "site": 999999},  # wrong site
        ])
    found = {(f["row"], f["field"], f["code"]) for f in err.value.fields}
    assert found >= {(2, "person", "already_sampled"), (3, "person", "unknown_person"), (4, "tube", "malformed_barcode"),
                     (5, "person", "outside_round"), (6, "tube", "tube_closed"), (7, "site", "wrong_site")}
    assert not Sample.objects.filter(person=p2).exists()


def test_a_tube_refuses_more_swabs_than_its_pool_size(setup, city, cast):
    rnd, site = setup
    site.pool_size = 2
    site.save()
    people = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    code = tube_code()
    with pytest.raises(ServiceError) as err:
        services.samples_register(actor=cast.officer_a, round_id=rnd.pk,
                                  items=[{"person": p.id_number, "tube": code, "site": site.pk} for p in people])
    assert err.value.fields == [{"row": 3, "field": "tube", "message": f"采样管 {code} 已满（2/2）", "code": "tube_full"}]


def test_a_tube_used_at_another_site_is_refused_as_wrong_site(setup, city, cast):
    rnd, site = setup
    other = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid])
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=1)
    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(ServiceError) as err:
        services.samples_register(actor=cast.officer_a, round_id=rnd.pk, items=[{"person": p.id_number, "tube": code, "site": other.pk}])
    assert err.value.fields[0]["code"] == "wrong_site"


def test_viewers_and_other_districts_cannot_register_samples(setup, city, cast):
    rnd, site = setup
    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(PermissionDenied):
        services.samples_register(actor=cast.viewer_a, round_id=rnd.pk, items=[{"person": p.id_number, "tube": tube_code(), "site": site.pk}])
    from django.http import Http404

    with pytest.raises(Http404):
        services.samples_register(actor=cast.officer_b, round_id=rnd.pk, items=[{"person": p.id_number, "tube": tube_code(), "site": site.pk}])


def test_negative_results_release_everyone_in_the_tube_to_the_status_module(setup, city, cast,
                                                                         django_capture_on_commit_callbacks):
    rnd, site = setup
    code, people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=3)
    with django_capture_on_commit_callbacks(execute=True):
        out = services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "阴性", "ct_orf1ab": "",
                                                                    "lab": "市一院"}])
    assert out["negative"] == 1
    assert set(Sample.objects.filter(tube__code=code).values_list("result", flat=True)) == {SampleResult.NEGATIVE}
    assert HealthStatus.objects.filter(person__in=people, last_negative_at__isnull=False).count() == 3
    since = clock.now() - dt.timedelta(days=1)
    assert selectors.people_negative_since(person_ids=[p.pk for p in people], since=since) == {p.pk for p in people}
    # the same result again is a no-op; a different one is a clear error
    assert services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "negative"}])["skipped"] == 1
    with pytest.raises(ServiceError) as err:
        services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive"}])
    assert err.value.fields[0]["field"] == "result"


def test_a_positive_pool_holds_members_files_retest_tasks_and_a_positive_retest_reports_a_case(setup, city, cast):
    rnd, site = setup
    code, people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=3)
    out = services.results_apply(actor=cast.commander, items=[{"tube": code, "result": "positive", "ct_orf1ab": "28.5"}])
    assert out["held"] == 3
    assert StatusReason.objects.filter(person__in=people, reason="held_positive_pool", active=True).count() == 3
    assert Task.objects.filter(kind="screening.retest", status="open").count() == 3
    retests = list(Retest.objects.filter(pool_tube__code=code).order_by("id"))
    assert [r.status for r in retests] == [RetestStatus.PENDING] * 3
    neg, pos = tube_code(), tube_code()
    services.retest_register(actor=cast.officer_a, retest=retests[0], tube=neg)
    services.retest_register(actor=cast.officer_a, retest=retests[1], tube=pos)
    with pytest.raises(ServiceError):
        services.retest_register(actor=cast.officer_a, retest=Retest.objects.get(pk=retests[0].pk), tube=tube_code())
    services.results_apply(actor=cast.commander, items=[{"tube": neg, "result": "negative"}, {"tube": pos, "result": "positive"}])
    r0, r1 = Retest.objects.get(pk=retests[0].pk), Retest.objects.get(pk=retests[1].pk)
    assert r0.status == RetestStatus.NEGATIVE and r1.status == RetestStatus.POSITIVE
    assert not StatusReason.objects.filter(person_id=r0.person_id, reason="held_positive_pool", active=True).exists()
    assert Task.objects.get(source=f"screening.retest:{r0.pk}").status == "done"
    try:
        from cordon.cases.models import Case
    except ImportError:
        Case = None
    if Case is not None and hasattr(__import__("cordon.cases.services", fromlist=["x"]), "case_report"):
        assert Case.objects.filter(person_id=r1.person_id, found_by="screening").exists()
    pos_info = metrics.positives(rnd, actor=SYSTEM)
    assert pos_info["positive_pools"] == 1 and pos_info["held"] == 3 and pos_info["retest_pending"] == 1


def test_result_imports_are_atomic_and_name_row_and_field(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    data = ("tube,result,ct_orf1ab,lab\n"
            f"{code},negative,,lab1\n"
            "T999999999,negative,,lab1\n"
            f"{code},positive,,lab1\n"
            f"{code.lower()},maybe,abc,lab1\n").encode()
    with pytest.raises(ServiceError) as err:
        services.results_import(actor=cast.commander, data=data, filename="r.csv")
    found = {(f["row"], f["field"]) for f in err.value.fields}
    assert {(3, "tube"), (4, "result"), (5, "result"), (5, "ct_orf1ab")} <= found
    assert Tube.objects.get(code=code).status != TubeStatus.TESTED
    out = services.results_import(actor=cast.commander, data=f"试管编码,检测结果\n{code},阴性\n".encode(), filename="r.csv")
    assert out["negative"] == 1


def test_hl7_oru_r01_messages_carry_results_and_ct_values(setup, city, cast):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    # the lab's times come after the swabs were taken (a result tested before its sample is refused)
    stamp = clock.local(clock.now() + dt.timedelta(minutes=5)).strftime("%Y%m%d%H%M%S")
    msg = "\r".join([
        f"MSH|^~\\&|LIS|CITYLAB^12345^L|CORDON|CITY|{stamp}||ORU^R01|MSG0001|P|2.5.1",
        "PID|1||P1",
        f"OBR|1||{code}|94500-6^SARS-CoV-2 RNA^LN|||{stamp}|||||||||||||||{stamp}||||F",
        "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260373001^Detected^SCT||||||F",
        "OBX|2|NM|94511-3^SARS-CoV-2 ORF1ab region Ct^LN||27.4|{Ct}^CrossingThreshold^UCUM|||||F",
        "OBX|3|NM|94510-5^SARS-CoV-2 N gene Ct^LN||29.1|{Ct}^CrossingThreshold^UCUM|||||F",
    ])
    # Ct values are read by their LOINC codes (the old parser took any OBX whose text held "ct"), the result
    # by its SNOMED CT code (the old parser returned the display text "Detected")
    rows = services.hl7_parse(msg)
    assert rows[0]["tube"] == code and rows[0]["result"] == "positive" and rows[0]["lab"] == "CITYLAB"
    out = services.results_import_hl7(actor=cast.commander, message=msg)
    assert out["positive"] == 1 and out["held"] == 2
    t = Tube.objects.get(code=code)
    assert (t.ct_orf1ab, t.ct_n, t.lab) == (27.4, 29.1, "CITYLAB")
    with pytest.raises(ServiceError):
        services.results_import_hl7(actor=cast.commander, message="PID|1||x")


def test_coverage_rolls_grids_up_to_districts_and_lists_who_is_missing(setup, city, cast):
    rnd, site = setup
    _, sampled = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=3)
    missing = [PersonFactory(grid=city.a_grid) for _ in range(2)] + [PersonFactory(grid=city.a_grid2)]
    rows = {r["path"]: r for r in metrics.coverage(rnd, actor=SYSTEM, level=5)}
    assert rows[city.a_grid.path]["roster"] == 5 and rows[city.a_grid.path]["sampled"] == 3
    assert rows[city.a_grid2.path]["coverage"] == 0.0
    district = metrics.coverage(rnd, actor=SYSTEM, level=2)
    assert district == [{"path": city.a.path, "name": city.a.name, "level": 2, "roster": 6, "sampled": 3, "missing": 3,
                         "coverage": 50.0}]
    assert set(metrics.unsampled(rnd, actor=SYSTEM, grid_path=city.a_grid.path).values_list("id", flat=True)) == {p.pk for p in missing[:2]}
    assert metrics.coverage(rnd, level=2, actor=cast.officer_b) == []
    assert metrics.tube_pipeline(rnd, actor=SYSTEM)["open"] == 1


def test_result_lookup_needs_the_matching_phone_and_is_rate_limited(setup, city, cast):
    rnd, site = setup
    code, people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=1)
    p = people[0]
    assert selectors.result_lookup(id_number=p.id_number, phone="13900000000") is None
    found = selectors.result_lookup(id_number=p.id_number, phone=p.phone)
    assert found["results"][0]["result"] == "pending"
    cache.clear()
    assert all(services.lookup_allowed(address="1.2.3.4", id_number=p.id_number) for _ in range(settings.CORDON_LOOKUP_PER_PERSON))
    assert not services.lookup_allowed(address="1.2.3.4", id_number=p.id_number)
