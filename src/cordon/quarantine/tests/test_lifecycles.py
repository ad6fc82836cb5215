"""Stays, transfers and placement requests move only along their lifecycles (services, API, pages), and a child or
dependent person is never left alone in a room by their carer's release."""

import datetime as dt

import pytest

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.enums import REQUEST_LIFECYCLE, STAY_LIFECYCLE, TRANSFER_LIFECYCLE
from cordon.quarantine.factories import RequestFactory, SiteFactory, born, household_at_site, rooms_for
from cordon.quarantine.models import PlacementRequest, Room, ScheduledTest, Stay, Transfer


def _family(city, cast, *, parent_days: int, child_days: int):
    """A parent and a six-year-old placed together (the parent as carer) and checked in; (parent stay, child stay)."""
    _site, (parent, child) = household_at_site(city, 40, 6)
    today = clock.today()
    RequestFactory(person=parent, start=today, end=today + dt.timedelta(days=parent_days))
    RequestFactory(person=child, start=today, end=today + dt.timedelta(days=child_days))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    carer, cared = Stay.objects.get(person=parent), Stay.objects.get(person=child)
    assert carer.carer_of_id == cared.pk and carer.room_id == cared.room_id
    for s in (carer, cared):
        services.stay_check_in(actor=cast.officer_a, stay=s)
        s.refresh_from_db()
    return carer, cared


def _negative(stay: Stay, cast) -> None:
    """Every scheduled test of the stay negative, sampled on its due day."""
    ScheduledTest.objects.filter(stay=stay).update(result="negative", early=False, result_at=clock.now())


@pytest.mark.django_db
def test_a_carers_stay_runs_as_long_as_the_childs_from_check_in(city, cast):
    carer, cared = _family(city, cast, parent_days=2, child_days=6)
    assert carer.planned_end == cared.planned_end
    assert carer.tests.filter(due=cared.planned_end).exists()  # a test on the new last day


@pytest.mark.django_db
def test_a_carer_is_kept_while_the_child_stays_and_the_family_leaves_together(city, cast):
    carer, cared = _family(city, cast, parent_days=2, child_days=6)
    # the carer's own days are over and tested (a stay linked before the carer followed the child's end)
    Stay.objects.filter(pk=carer.pk).update(planned_end=clock.today() + dt.timedelta(days=2))
    carer.refresh_from_db()
    _negative(carer, cast)
    with pytest.raises(Conflict) as e:
        services.stay_release(actor=cast.officer_a, stay=carer, today=carer.planned_end)
    assert e.value.code == "carer_kept" and e.value.fields[0]["field"] == "release"
    assert cared.planned_end.isoformat() in e.value.fields[0]["message"]
    carer.refresh_from_db()
    assert carer.status == "in"
    _negative(cared, cast)
    services.stay_release(actor=cast.officer_a, stay=carer, today=cared.planned_end)
    assert set(Stay.objects.filter(pk__in=[carer.pk, cared.pk]).values_list("status", flat=True)) == {"released"}
    assert Transfer.objects.filter(stay__in=[carer, cared], direction="home").count() == 2
    assert Stay.objects.filter(previous__in=[carer, cared]).count() == 2  # each hands over to a home measure


@pytest.mark.django_db
def test_releasing_the_child_releases_the_carer_with_them(city, cast):
    carer, cared = _family(city, cast, parent_days=6, child_days=6)
    _negative(carer, cast)
    _negative(cared, cast)
    services.stay_release(actor=cast.officer_a, stay=cared, today=cared.planned_end)
    carer.refresh_from_db()
    assert carer.status == "released" and carer.room.status == "disinfection"


@pytest.mark.django_db
def test_a_carer_released_with_the_child_is_not_released_again_from_an_earlier_copy(city, cast):
    # The twin's daily release loop loads every stay due first, then releases them one by one: the child's release
    # takes the carer along, and the carer's own (stale) copy must not open a second home measure.
    carer, cared = _family(city, cast, parent_days=6, child_days=6)
    _negative(carer, cast)
    _negative(cared, cast)
    stale_carer = Stay.objects.get(pk=carer.pk)
    services.stay_release(actor=cast.officer_a, stay=cared, today=cared.planned_end)
    with pytest.raises(Conflict) as e:
        services.stay_release(actor=cast.officer_a, stay=stale_carer, today=cared.planned_end)
    assert e.value.code == "transition"
    assert Stay.objects.filter(person=carer.person, status__in=["expected", "in"]).count() == 1


@pytest.mark.django_db
def test_a_carer_moved_to_hospital_takes_the_child_along_when_no_other_adult_is_there(city, cast):
    # The twin's invariant check found a 4-year-old alone in a room for days after their only carer tested positive.
    carer, cared = _family(city, cast, parent_days=6, child_days=6)
    planned = Transfer.objects.create(stay=carer, region_path=carer.region_path, direction="home", pickup_address="x",
                                      destination="y", window_start=clock.now(), window_end=clock.now())
    services.stay_to_hospital(actor=cast.officer_a, stay=carer)
    planned.refresh_from_db()
    cared.refresh_from_db()
    assert planned.status == "cancelled"
    assert cared.status == "to_hospital" and str(carer.pk) in cared.release_note
    assert not Stay.objects.filter(room_id=cared.room_id, status__in=["expected", "in"]).exists()
    task = Task.objects.get(kind="quarantine.carer_needed", source=f"quarantine.stay:{cared.pk}:carer")
    assert task.priority == 1


@pytest.mark.django_db
def test_a_carer_moved_to_hospital_is_replaced_by_another_adult_of_the_household_at_the_site(city, cast):
    carer, cared = _family(city, cast, parent_days=6, child_days=6)
    grandparent = PersonFactory(grid=city.a_grid, household=carer.person.household, birth_date=born(60))
    today = clock.today()
    RequestFactory(person=grandparent, start=today, end=today + dt.timedelta(days=6))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    other = Stay.objects.get(person=grandparent)
    services.stay_check_in(actor=cast.officer_a, stay=other)
    old_room = other.room_id
    assert old_room != cared.room_id
    services.stay_to_hospital(actor=cast.officer_a, stay=carer)
    other.refresh_from_db()
    cared.refresh_from_db()
    assert cared.status == "in" and other.room_id == cared.room_id and other.carer_of_id == cared.pk
    assert Room.objects.get(pk=old_room).status == "disinfection"


def _stay(city, cast) -> Stay:
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=2)
    RequestFactory(person=PersonFactory(grid=city.a_grid, birth_date=born(30)))
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return Stay.objects.get()


@pytest.mark.django_db
def test_a_stay_never_steps_back_and_the_service_names_the_field(city, cast):
    stay = _stay(city, cast)
    with pytest.raises(Conflict) as e:
        services.stay_release(actor=cast.officer_a, stay=stay)  # expected: not in yet
    assert e.value.code == "transition" and e.value.fields[0]["field"] == "status"
    services.stay_to_hospital(actor=cast.officer_a, stay=stay)
    with pytest.raises(Conflict) as e:
        services.stay_check_in(actor=cast.officer_a, stay=stay)
    assert e.value.code == "transition" and e.value.fields[0]["field"] == "status"
    assert Stay.objects.get(pk=stay.pk).status == "to_hospital"


@pytest.mark.django_db
def test_the_stay_api_refuses_a_backward_step_and_lists_the_allowed_next_ones(city, cast, api_client):
    stay = _stay(city, cast)
    c = api_client(cast.officer_a)
    body = c.get(f"/api/v1/quarantine/stays/{stay.pk}").json()
    assert body["next_statuses"] == list(STAY_LIFECYCLE.allowed("expected"))
    assert c.post(f"/api/v1/quarantine/stays/{stay.pk}/check-in").json()["next_statuses"] == list(STAY_LIFECYCLE.allowed("in"))
    c.post(f"/api/v1/quarantine/stays/{stay.pk}/hospital")
    r = c.post(f"/api/v1/quarantine/stays/{stay.pk}/check-in")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "status"
    assert c.get(f"/api/v1/quarantine/stays/{stay.pk}").json()["next_statuses"] == []


def _actions(page: str) -> set[str]:
    """The status steps the stay page offers (its other forms, a reading or a test result, aside)."""
    return {part.split('"')[0] for part in page.split('name="action" value="')[1:]} & {"check_in", "release", "hospital"}


@pytest.mark.django_db
def test_the_stay_page_offers_only_the_allowed_next_steps(city, cast, client):
    stay = _stay(city, cast)
    client.force_login(cast.officer_a)
    assert _actions(client.get(f"/quarantine/stays/{stay.pk}/").content.decode()) == {"check_in", "hospital"}
    services.stay_check_in(actor=cast.officer_a, stay=stay)
    assert _actions(client.get(f"/quarantine/stays/{stay.pk}/").content.decode()) == {"release", "hospital"}
    services.stay_to_hospital(actor=cast.officer_a, stay=stay)
    page = client.get(f"/quarantine/stays/{stay.pk}/").content.decode()
    assert _actions(page) == set()
    r = client.post(f"/quarantine/stays/{stay.pk}/", {"action": "check_in"})
    assert Stay.objects.get(pk=stay.pk).status == "to_hospital"
    assert r.status_code == 200  # the page again, with the refusal


@pytest.mark.django_db
def test_a_transfer_moves_forward_only_and_the_api_and_page_offer_its_next_step(city, cast, api_client, client):
    stay = _stay(city, cast)
    t = Transfer.objects.get(stay=stay)
    c = api_client(cast.officer_a)
    listed = {row["id"]: row for row in c.get("/api/v1/quarantine/transfers").json()["items"]}
    assert listed[t.pk]["next_statuses"] == list(TRANSFER_LIFECYCLE.allowed("planned"))
    c.post(f"/api/v1/quarantine/transfers/{t.pk}", {"vehicle": "沪A12345"}, content_type="application/json")
    for _ in range(3):
        assert c.post(f"/api/v1/quarantine/transfers/{t.pk}/advance").status_code == 200
    r = c.post(f"/api/v1/quarantine/transfers/{t.pk}/advance")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    with pytest.raises(Conflict) as e:
        services.transfer_advance(actor=cast.officer_a, transfer=Transfer.objects.get(pk=t.pk))
    assert e.value.fields[0]["field"] == "status"
    client.force_login(cast.officer_a)
    page = client.get("/quarantine/transfers/?status=arrived").content.decode()
    assert 'value="advance"' not in page
    Transfer.objects.filter(pk=t.pk).update(status="picked_up")
    page = client.get("/quarantine/transfers/").content.decode()
    assert page.count('value="advance"') == 1 and 'data-next="arrived"' in page


@pytest.mark.django_db
def test_a_placement_request_lists_its_allowed_next_statuses_and_placed_is_final(city, cast, api_client):
    req = RequestFactory(person=PersonFactory(grid=city.a_grid))
    c = api_client(cast.officer_a)
    row = c.get("/api/v1/quarantine/requests").json()["items"][0]
    assert row["next_statuses"] == list(REQUEST_LIFECYCLE.allowed("queued"))
    services.home_stay_start(actor=cast.officer_a, person_id=req.person_id, kind="home_monitoring", start=clock.today(),
                             end=clock.today(), community_worker_id=cast.officer_a.pk, request_id=req.pk)
    assert PlacementRequest.objects.get(pk=req.pk).status == "placed"
    row = c.get("/api/v1/quarantine/requests?status=placed").json()["items"][0]
    assert row["next_statuses"] == []
    assert "queued" not in REQUEST_LIFECYCLE.allowed("placed") and "queued" in REQUEST_LIFECYCLE.allowed("proposed")
