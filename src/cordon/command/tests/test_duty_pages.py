"""My work, a person's page, on duty now and the hand-over, through the web and the API."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from cordon.accounts.models import Post
from cordon.command import services
from cordon.command.models import HandOver, OffDuty
from cordon.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(city, cast):
    u = get_user_model().objects.create_user(username="street1", password="pw-for-tests-1", first_name="张街道")
    Post.objects.create(user=u, role="street_officer", region=city.a_street)
    return u


def _task(city, cast, owner, hours):
    return services.task_create(actor=cast.commander, title=f"任务{hours}", kind="k", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=hours), owner=owner)


def test_my_work_lists_what_i_answer_for_split_into_late_due_and_escalated(city, cast, street, api_client):
    _task(city, cast, street, -2)
    _task(city, cast, street, 3)
    escalated = _task(city, cast, cast.field_a, -5)
    services.task_escalate(actor=cast.commander, task=escalated)
    body = api_client(street).get("/api/v1/command/my-work").json()
    assert [t["title"] for t in body["late"]] == ["任务-5", "任务-2"]
    assert [t["title"] for t in body["due"]] == ["任务3"]
    assert [t["title"] for t in body["escalated"]] == ["任务-5"]
    page = api_client(street).get("/command/my-work/")
    assert page.status_code == 200 and "任务-2" in page.content.decode()


def test_my_work_is_only_mine(city, cast, street, api_client):
    _task(city, cast, street, 3)
    body = api_client(cast.officer_b).get("/api/v1/command/my-work").json()
    assert body["user"]["id"] == cast.officer_b.pk
    assert body["late"] == body["due"] == body["later"] == []


def test_every_signed_in_officer_sees_my_work_in_the_navigation(city, cast, api_client):
    sampler = get_user_model().objects.create_user(username="sampler1", password="pw-for-tests-1")
    Post.objects.create(user=sampler, role="sampler", region=city.a)
    assert 'href="/command/my-work/"' in api_client(sampler).get("/command/my-work/").content.decode()


def test_the_person_page_hands_over_in_one_step_and_shows_the_trail(city, cast, street, api_client):
    task = _task(city, cast, street, 3)
    client = api_client(cast.officer_a)
    assert "张街道" in client.get(f"/command/people/{street.pk}/").content.decode()
    r = client.post(f"/command/people/{street.pk}/", {"reason": "contact", "successor": cast.officer_a.pk})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.owner == cast.officer_a and OffDuty.objects.get().user == street
    assert HandOver.objects.get().items[0]["kind"] == "task"
    assert "张街道" in client.get("/command/handovers/").content.decode()


def test_on_duty_now_names_the_holder_of_every_post_in_the_region(city, cast, street, api_client):
    rows = api_client(cast.commander).get(f"/api/v1/command/on-duty?region={city.a.path}").json()
    by_post = {(r["region_path"], r["role"]): r for r in rows}
    assert by_post[(city.a_street.path, "street_officer")]["on_duty"]["id"] == street.pk
    assert by_post[(city.a.path, "district_officer")]["on_duty"]["id"] == cast.officer_a.pk
    assert api_client(cast.commander).get(f"/command/on-duty/?region={city.a.path}").status_code == 200


def test_the_api_names_who_answers_for_an_object_and_a_task_carries_its_deputy(city, cast, street, api_client):
    body = api_client(cast.officer_a).get(f"/api/v1/command/responsible?object_type=zone&object_id=5&region_path={city.a_grid.path}").json()
    assert body["responsible"]["id"] == street.pk and body["deputy"]["id"] == cast.officer_a.pk
    task = services.task_create(actor=cast.commander, title="核查", kind="k", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=3))
    got = api_client(cast.officer_a).get(f"/api/v1/command/tasks/{task.pk}").json()
    assert got["owner_id"] == street.pk and got["deputy_id"] == cast.officer_a.pk and got["resolution"][-1]["step"] == "found"


def test_taking_out_through_the_api_refuses_an_unknown_reason(city, cast, street, api_client):
    r = api_client(cast.officer_a).post(f"/api/v1/command/users/{street.pk}/take-out", {"reason": "bored"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "reason"
    assert not OffDuty.objects.exists()


def test_every_domain_page_template_shows_who_answers_for_its_object():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pages = {"zones/templates/zones/detail.html": '"zone"', "quarantine/templates/quarantine/site.html": '"site"',
             "checkpoints/templates/checkpoints/detail.html": '"checkpoint"', "screening/templates/screening/round.html": '"round"',
             "screening/templates/screening/site.html": '"testing_site"', "venues/templates/venues/closure.html": '"closure"',
             "gatherings/templates/gatherings/detail.html": '"gathering"', "command/templates/command/loan.html": '"loan"'}
    missing = [p for p, kind in pages.items() if f"responsible_line {kind}" not in (root / p).read_text(encoding="utf-8")]
    assert not missing


def test_the_responsible_line_names_the_person_and_deputy_on_a_page(city, cast, street):
    from django.template import Context, Template

    html = Template('{% load duty %}{% responsible_line "region" grid %}').render(Context({"grid": city.a_grid}))
    # no community worker: the grid goes up to the street officer, the district officer is the deputy
    assert "张街道" in html and f"/command/people/{street.pk}/" in html and f"/command/people/{cast.officer_a.pk}/" in html


DETAILS = [("zones", "zones.get"), ("quarantine", "quarantine api site"), ("checkpoints", "api checkpoint detail"),
           ("screening", "api round detail"), ("gatherings", "api gathering detail"), ("venues", "api closure detail")]


@pytest.mark.parametrize(("app", "name"), DETAILS, ids=[a for a, _ in DETAILS])
def test_each_objects_api_detail_names_who_answers_for_it_and_the_deputy(app, name, city, cast, street, api_client):
    import importlib

    scope = importlib.import_module(f"cordon.{app}.tests.scope")
    ep = next(e for e in scope.ENDPOINTS if e.name == name)
    obj = ep.make(city)
    body = api_client(cast.commander).get(ep.url(obj)).json()
    assert body["responsible"]["responsible"]["name"] and body["responsible"]["deputy"]["name"], body["responsible"]


def test_a_loans_api_payload_names_who_answers_for_it(city, cast, api_client):
    from cordon.command.tests.scope import _approved

    loan = _approved(city)
    body = api_client(cast.commander).get(f"/api/v1/command/dispatch/matches/{loan.pk}").json()
    assert body["responsible"]["responsible"]["id"] == cast.officer_a.pk  # the lender's district post
