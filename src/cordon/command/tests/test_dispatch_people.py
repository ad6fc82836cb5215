"""A loan of people names each person lent; the borrower sees them as its staff until each return is confirmed."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from cordon.accounts.models import Post
from cordon.command import selectors, services
from cordon.command.models import DispatchMember
from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError

pytestmark = pytest.mark.django_db


def _person(name, region, role="sampler"):
    user = get_user_model().objects.create_user(username=name, password="pw-for-tests-1", first_name=name.upper())
    Post.objects.create(user=user, role=role, region=region)
    return user


def _loan(city, cast, *, resource="samplers", quantity=2, lender=None, borrower=None):
    lender, borrower = lender or city.a, borrower or city.b
    today = clock.today()
    services.dispatch_post(actor=cast.commander, side="request", resource=resource, quantity=quantity, region_path=borrower.path,
                           start=today, end=today + dt.timedelta(days=3))
    services.dispatch_post(actor=cast.commander, side="offer", resource=resource, quantity=quantity, region_path=lender.path,
                           start=today, end=today + dt.timedelta(days=5))
    match = services.dispatch_suggest(actor=cast.commander)[0]
    return services.dispatch_decide(actor=cast.commander, match=match, approve=True)


def test_a_loan_names_the_people_lent_and_the_borrower_sees_them_as_staff_until_each_return_is_confirmed(city, cast, api_client):
    m = _loan(city, cast)
    li, wang = _person("li", city.a_community), _person("wang", city.a)
    services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=li.pk, post="乙一采样点1号台", post_path=city.b_grid.path)
    services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=wang.pk, post="乙一采样点2号台")
    assert not selectors.staff_on_loan(actor=cast.officer_b).exists()  # not yet sent
    services.dispatch_advance(actor=cast.officer_a, match=m)
    staff = api_client(cast.officer_b).get("/api/v1/command/dispatch/staff").json()
    assert sorted(p["name"] for p in staff["items"]) == ["LI", "WANG"] and {p["post"] for p in staff["items"]} == {"乙一采样点1号台", "乙一采样点2号台"}
    assert api_client(cast.officer_a).get("/api/v1/command/dispatch/staff").json()["count"] == 0  # the lender's staff are away
    # the borrowing district may give them tasks: they are among its people for the duration
    assert {li.pk, wang.pk} <= set(selectors.user_choices(actor=cast.officer_b).values_list("pk", flat=True))
    page = api_client(cast.officer_b).get("/command/dispatch/staff/").content.decode()
    assert "LI" in page and "乙一采样点1号台" in page
    loan = api_client(cast.officer_b).get(f"/api/v1/command/dispatch/matches/{m.pk}").json()
    assert [p["name"] for p in loan["people"]] == ["LI", "WANG"] and loan["people"][0]["planned_return"] == str(m.due_back)
    # the loan cannot be closed wholesale: each person's return is confirmed
    with pytest.raises(ServiceError) as e:
        services.dispatch_advance(actor=cast.officer_a, match=m)
    assert e.value.code == "people_out"
    first = m.members.get(user=li)
    r = api_client(cast.officer_a).post(f"/api/v1/command/dispatch/people/{first.pk}/return")
    assert r.status_code == 200 and r.json()["returned_at"]
    m.refresh_from_db()
    assert m.status == "dispatched" and [p.user for p in selectors.staff_on_loan(actor=cast.officer_b)] == [wang]
    services.dispatch_return_person(actor=cast.officer_a, member=m.members.get(user=wang))
    m.refresh_from_db()
    assert m.status == "returned" and not selectors.staff_on_loan(actor=cast.officer_b).exists()


def test_a_person_cannot_be_lent_twice_at_once_by_the_service_or_the_database(city, cast, api_client):
    first, second = _loan(city, cast), _loan(city, cast)
    li = _person("li", city.a)
    services.dispatch_lend_person(actor=cast.officer_a, match=first, user_id=li.pk, post="乙一采样点")
    r = api_client(cast.officer_a).post(f"/api/v1/command/dispatch/matches/{second.pk}/people", {"user_id": li.pk, "post": "乙二采样点"},
                                        content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["fields"][0]["field"] == "user_id"
    with pytest.raises(IntegrityError), transaction.atomic():  # the constraint holds even past the service's check
        DispatchMember.objects.create(match=second, user=li, post="x", post_path=city.b.path, start=clock.today(), planned_return=clock.today())
    assert DispatchMember.objects.filter(user=li).count() == 1
    # back home, the same person may be lent again
    services.dispatch_advance(actor=cast.officer_a, match=first)
    services.dispatch_return_person(actor=cast.officer_a, member=first.members.get())
    services.dispatch_lend_person(actor=cast.officer_a, match=second, user_id=li.pk, post="乙二采样点")
    assert DispatchMember.objects.filter(user=li).count() == 2


def test_people_lent_come_from_the_lender_fit_the_loan_and_go_to_a_post_in_the_borrower(city, cast):
    m = _loan(city, cast, quantity=1)
    outsider, li, wang = _person("outsider", city.b), _person("li", city.a), _person("wang", city.a)
    with pytest.raises(ServiceError) as e:
        services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=outsider.pk, post="p")
    assert e.value.fields[0]["field"] == "user_id"
    with pytest.raises(ServiceError) as e:
        services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=li.pk, post="p", post_path=city.a_grid.path)
    assert e.value.fields[0]["field"] == "post_path"
    with pytest.raises(ServiceError) as e:
        services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=li.pk, post="p", start=clock.today(),
                                      planned_return=clock.today() - dt.timedelta(days=1))
    assert e.value.fields[0]["field"] == "planned_return"
    services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=li.pk, post="p")
    with pytest.raises(ServiceError) as e:  # the loan is for one
        services.dispatch_lend_person(actor=cast.officer_a, match=m, user_id=wang.pk, post="p")
    assert e.value.fields[0]["field"] == "user_id" and not isinstance(e.value, Conflict)
    with pytest.raises(ServiceError) as e:
        services.dispatch_add_line(actor=cast.officer_a, match=m, item="masks", quantity=1)
    assert e.value.fields[0]["field"] == "resource"


def test_rooms_and_supplies_are_lent_by_item_within_the_loans_quantity(city, cast, api_client):
    m = _loan(city, cast, resource="rooms", quantity=5)
    c = api_client(cast.officer_a)
    r = c.post(f"/api/v1/command/dispatch/matches/{m.pk}/items", {"item": "甲区某酒店", "quantity": 3, "unit": "间"}, content_type="application/json")
    assert r.status_code == 201
    r = c.post(f"/api/v1/command/dispatch/matches/{m.pk}/items", {"item": "甲区某宾馆", "quantity": 3, "unit": "间"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "quantity"
    page = api_client(cast.officer_b).get(f"/command/dispatch/loans/{m.pk}/").content.decode()
    assert "甲区某酒店" in page and "甲区某宾馆" not in page


def test_the_loan_page_names_people_and_confirms_returns(city, cast, api_client):
    m = _loan(city, cast, quantity=1)
    li = _person("li", city.a)
    c = api_client(cast.officer_a)
    assert c.post(f"/command/dispatch/{m.pk}/lend/", {"user_id": li.pk, "post": "乙一采样点"}).status_code == 302
    services.dispatch_advance(actor=cast.officer_a, match=m)
    page = c.get(f"/command/dispatch/loans/{m.pk}/").content.decode()
    assert "LI" in page and "乙一采样点" in page
    member = m.members.get()
    assert c.post(f"/command/dispatch/members/{member.pk}/return/").status_code == 302
    member.refresh_from_db()
    m.refresh_from_db()
    assert member.returned_at is not None and m.status == "returned"
