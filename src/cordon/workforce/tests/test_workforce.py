import datetime as dt

import pytest

from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.testing import SYSTEM
from cordon.workforce import rules, selectors, services

pytestmark = pytest.mark.django_db


def test_samplers_are_population_over_360_rounded_up():
    assert rules.samplers_needed(population=3600, people_per_sampler=360) == 10
    assert rules.samplers_needed(population=3601, people_per_sampler=360) == 11
    assert rules.tracers_needed(open_cases=4, per_case=3) == 12
    t = clock.now()
    assert rules.overlaps(t, t + dt.timedelta(hours=2), t + dt.timedelta(hours=1), t + dt.timedelta(hours=3))
    assert not rules.overlaps(t, t + dt.timedelta(hours=2), t + dt.timedelta(hours=2), t + dt.timedelta(hours=3))


def _round(city, population=1000):
    city.a_street.population = population
    city.a_street.save()
    start = clock.now() + dt.timedelta(hours=1)
    return services.mission_create(actor=SYSTEM, kind="round", name="第一轮", region_id=city.a_street.pk, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=8))


def test_a_round_needs_samplers_from_its_population_and_a_fill_covers_it(city, cast):
    m = _round(city, population=1000)
    assert m.needs == {"sampler": 3}
    for i in range(4):
        services.worker_create(actor=cast.officer_a, name=f"采样员{i}", home_district_id=city.a.pk, skills=["sampler"])
    services.worker_create(actor=cast.officer_b, name="乙区采样员", home_district_id=city.b.pk, skills=["sampler"])
    assert services.deploy_fill(actor=cast.officer_a, mission=m)["added"] == 3
    assert selectors.mission_fill(mission=m) == [{"skill": "sampler", "need": 3, "have": 3, "short": 0}]


def test_a_person_cannot_be_booked_twice_at_once(city, cast):
    m1 = _round(city)
    w = services.worker_create(actor=cast.officer_a, name="王伟", home_district_id=city.a.pk, skills=["sampler", "driver"])
    services.deploy(actor=cast.officer_a, mission=m1, worker_id=w.pk, skill="sampler")
    m2 = services.mission_create(actor=cast.officer_a, kind="checkpoint", name="卡口", region_id=city.a.pk,
                                 starts_at=m1.starts_at + dt.timedelta(hours=4), ends_at=m1.ends_at + dt.timedelta(hours=4), needs={"driver": 1})
    with pytest.raises(Conflict) as exc:
        services.deploy(actor=cast.officer_a, mission=m2, worker_id=w.pk, skill="driver")
    assert "第一轮" in exc.value.message
    later = services.deploy(actor=cast.officer_a, mission=m2, worker_id=w.pk, skill="driver", starts_at=m1.ends_at, ends_at=m2.ends_at)
    assert later.pk


def test_deploying_checks_skill_availability_and_area(city, cast):
    m = _round(city)
    w = services.worker_create(actor=cast.officer_a, name="李娜", home_district_id=city.a.pk, skills=["tracer"])
    with pytest.raises(ServiceError):
        services.deploy(actor=cast.officer_a, mission=m, worker_id=w.pk, skill="sampler")
    services.worker_availability(actor=cast.officer_a, worker=w, available=False)
    with pytest.raises(ServiceError):
        services.deploy(actor=cast.officer_a, mission=m, worker_id=w.pk, skill="tracer")
    other = services.worker_create(actor=cast.officer_b, name="乙", home_district_id=city.b.pk, skills=["sampler"])
    with pytest.raises(ServiceError) as exc:
        services.deploy(actor=cast.officer_a, mission=m, worker_id=other.pk, skill="sampler")
    assert exc.value.status == 404
    with pytest.raises(ServiceError):
        services.worker_create(actor=cast.officer_a, name="x", home_district_id=city.a.pk, skills=["juggler"])


def test_reserve_levels_compare_people_with_need(city, cast):
    _round(city, population=720)
    services.worker_create(actor=cast.officer_a, name="采样员", home_district_id=city.a.pk, skills=["sampler"])
    levels = {r["skill"]: r for r in selectors.reserve_levels(actor=cast.officer_a)}
    assert levels["sampler"]["need"] == 2 and levels["sampler"]["available"] == 1 and levels["sampler"]["short"] == 1


def test_the_api_and_screens_work(city, cast, api_client):
    m = _round(city)
    c = api_client(cast.officer_a)
    r = c.post("/api/v1/workforce/workers", {"name": "张敏", "home_district_id": city.a.pk, "skills": ["sampler"], "closed_loop": True,
                                              "dormitory": "集中住宿点"}, content_type="application/json")
    assert r.status_code == 201 and "*" in r.json()["name"]
    wid = r.json()["id"]
    r = c.post(f"/api/v1/workforce/missions/{m.pk}/deployments", {"worker_id": wid, "skill": "sampler"}, content_type="application/json")
    assert r.status_code == 201
    r = c.post(f"/api/v1/workforce/missions/{m.pk}/deployments", {"worker_id": wid, "skill": "sampler"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["fields"][0]["field"] == "worker_id"
    assert c.get("/api/v1/workforce/reserve").status_code == 200
    for url in ["/workforce/", "/workforce/workers/", f"/workforce/missions/{m.pk}/", "/workforce/workers/?export=1"]:
        assert c.get(url).status_code == 200, url
