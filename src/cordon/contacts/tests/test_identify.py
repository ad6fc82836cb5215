import datetime as dt

import pytest

from cordon.cases import services as case_services
from cordon.contacts import services
from cordon.contacts.models import RiskPerson
from cordon.core import clock, policy
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.venues.factories import CheckInFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _at(hours_ago: float) -> dt.datetime:
    return clock.now().replace(second=0, microsecond=0) - dt.timedelta(hours=hours_ago)


@pytest.fixture
def scene(city, cast):
    venue = VenueFactory(region=city.a_community, kind="restaurant")
    case_person = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=case_person, venue=venue, time_in=_at(10), time_out=_at(9))
    near = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=near, venue=venue, time_in=_at(9.5), time_out=_at(8))      # 30 min together
    after = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=after, venue=venue, time_in=_at(8.9), time_out=_at(8))     # arrives in the 30 min buffer
    brief = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=brief, venue=venue, time_in=_at(12), time_out=_at(9.95))   # 3 min overlap
    late = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=late, venue=venue, time_in=_at(7), time_out=_at(6))        # after the buffer
    return {"venue": venue, "case_person": case_person, "near": near, "after": after, "brief": brief, "late": late, "cast": cast}


def test_venue_overlap_finds_people_who_shared_the_stay_long_enough(scene):
    case = case_services.case_report(actor=scene["cast"].officer_a, person_id=scene["case_person"].pk, kind="confirmed",
                                     found_by="fever_clinic", onset_date=clock.today())
    found = services.identify(case)["close_contact"]
    assert scene["near"].pk in found and scene["after"].pk in found
    assert scene["brief"].pk not in found and scene["late"].pk not in found
    ev = found[scene["near"].pk]["evidence"][0]
    assert ev["rule"] == "venue_overlap" and ev["venue_id"] == scene["venue"].pk and ev["minutes"] >= 30


def test_confirming_a_case_writes_proposals_with_evidence_once(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_report(actor=scene["cast"].officer_a, person_id=scene["case_person"].pk, kind="confirmed",
                                         found_by="fever_clinic", onset_date=clock.today())
    rows = RiskPerson.objects.filter(source_case=case, category="close_contact")
    household = set(case.person.household.members.exclude(pk=case.person_id).values_list("pk", flat=True))
    assert set(rows.values_list("person_id", flat=True)) == {scene["near"].pk, scene["after"].pk} | household
    assert all(r.status == "proposed" and r.evidence for r in rows)
    services.contacts_identify(actor=scene["cast"].officer_a, case=case)
    assert RiskPerson.objects.filter(source_case=case).count() == rows.count()


def test_household_members_and_named_contacts_are_close_contacts(city, cast):
    hh = HouseholdFactory(grid=city.a_grid)
    case_person = PersonFactory(grid=city.a_grid, household=hh)
    spouse = PersonFactory(grid=city.a_grid, household=hh)
    friend = PersonFactory(grid=city.a_grid)
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="community",
                                     onset_date=clock.today())
    case_services.named_contacts_add(actor=cast.officer_a, case=case, items=[
        {"person_id": friend.pk, "setting": "meal", "protection": "none", "last_exposure": _at(5)}])
    found = services.identify(case)["close_contact"]
    assert found[spouse.pk]["evidence"][0]["rule"] == "household"
    assert found[friend.pk]["evidence"][0]["rule"] == "named"


def test_secondary_contacts_follow_the_rule_set(city, cast):
    from cordon.core.models import RuleSet, RuleSetAdoption

    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="protocol-9"), effective_from=clock.today() - dt.timedelta(days=30))
    policy.clear_cache()
    venue = VenueFactory(region=city.a_community, kind="restaurant")
    office = VenueFactory(region=city.a_community, kind="office")
    case_person = PersonFactory(grid=city.a_grid)
    contact = PersonFactory(grid=city.a_grid, workplace=office)
    colleague = PersonFactory(grid=city.a_grid, workplace=office)
    CheckInFactory(person=case_person, venue=venue, time_in=_at(30), time_out=_at(29))
    CheckInFactory(person=contact, venue=venue, time_in=_at(30), time_out=_at(29))
    CheckInFactory(person=contact, venue=office, time_in=_at(20), time_out=_at(12))
    CheckInFactory(person=colleague, venue=office, time_in=_at(19), time_out=_at(13))
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="community",
                                     onset_date=clock.today())
    found = services.identify(case)
    assert contact.pk in found["close_contact"]
    sec = found["secondary_contact"]
    assert colleague.pk in sec and any(e["rule"] == "workplace" for e in sec[colleague.pk]["evidence"])
    assert contact.household.members.count() == 1 or set(contact.household.members.values_list("pk", flat=True)) - {contact.pk} <= set(sec)

    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="measures-2022-11"), effective_from=clock.today() - dt.timedelta(days=10))
    policy.clear_cache()
    assert "secondary_contact" not in services.identify(case)


def test_a_later_negative_test_narrows_the_window_for_screening_cases(scene):
    case = case_services.case_report(actor=scene["cast"].officer_a, person_id=scene["case_person"].pk, kind="asymptomatic",
                                     found_by="screening", sampled_at=_at(1))
    case_services.case_update(actor=scene["cast"].officer_a, case=case, last_negative_at=_at(5))
    assert services.identify(case)["close_contact"].keys().isdisjoint({scene["near"].pk, scene["after"].pk})


def _protocol_9():
    from cordon.core.models import RuleSet, RuleSetAdoption

    policy.sync_fixtures()
    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="protocol-9"), effective_from=clock.today() - dt.timedelta(days=30))
    policy.clear_cache()


def test_a_named_unit_narrows_close_contacts_to_the_same_class(city, cast):
    """At a school, a case who scanned into class 3-2 has the classmates as close contacts, not the pupils of
    other classes in the building at the same time; a visitor whose place is unknown (no unit) is kept in; and a
    case who is such a visitor is matched against everyone at the venue."""
    from cordon.venues.models import VenueUnit

    school = VenueFactory(region=city.a_community, kind="school")
    c32 = VenueUnit.objects.create(venue=school, name="三年级2班", kind="class")
    c33 = VenueUnit.objects.create(venue=school, name="三年级3班", kind="class")
    case_person, classmate, other_class = (PersonFactory(grid=city.a_grid, workplace=school) for _ in range(3))
    visitor = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=case_person, venue=school, unit=c32, time_in=_at(10), time_out=_at(3))
    CheckInFactory(person=classmate, venue=school, unit=c32, time_in=_at(10), time_out=_at(3))
    CheckInFactory(person=other_class, venue=school, unit=c33, time_in=_at(10), time_out=_at(3))
    CheckInFactory(person=visitor, venue=school, time_in=_at(8), time_out=_at(7))
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="fever_clinic",
                                     onset_date=clock.today())
    found = services.identify(case)["close_contact"]
    assert classmate.pk in found and other_class.pk not in found and visitor.pk in found
    ev = found[classmate.pk]["evidence"][0]
    assert ev["unit"] == "三年级2班" and ev["unit_id"] == c32.pk

    visitor_case = case_services.case_report(actor=cast.officer_a, person_id=visitor.pk, kind="confirmed", found_by="fever_clinic",
                                             onset_date=clock.today())
    found = services.identify(visitor_case)["close_contact"]
    assert {classmate.pk, other_class.pk} <= set(found)  # the first case is a case, not a contact


def test_secondary_contacts_are_the_close_contacts_unit_mates_or_fellow_staff(city, cast):
    """Protocol-9: co-workers on the close contact's floor are secondary contacts, people on another floor are
    not; at a workplace without units (a restaurant) only its own staff count, not the diners."""
    from cordon.venues.models import VenueUnit

    _protocol_9()
    cafe = VenueFactory(region=city.a_community, kind="restaurant")
    office = VenueFactory(region=city.a_community, kind="office")
    floor5 = VenueUnit.objects.create(venue=office, name="5层", kind="floor")
    floor9 = VenueUnit.objects.create(venue=office, name="9层", kind="floor")
    case_person = PersonFactory(grid=city.a_grid)
    office_contact = PersonFactory(grid=city.a_grid, workplace=office)
    same_floor = PersonFactory(grid=city.a_grid, workplace=office)
    other_floor = PersonFactory(grid=city.a_grid, workplace=office)
    waiter = PersonFactory(grid=city.a_grid, workplace=cafe)
    fellow_waiter = PersonFactory(grid=city.a_grid, workplace=cafe)
    diner = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=case_person, venue=cafe, time_in=_at(30), time_out=_at(29))
    CheckInFactory(person=office_contact, venue=cafe, time_in=_at(30), time_out=_at(29))
    CheckInFactory(person=waiter, venue=cafe, time_in=_at(32), time_out=_at(24))
    CheckInFactory(person=office_contact, venue=office, unit=floor5, time_in=_at(20), time_out=_at(12))
    CheckInFactory(person=same_floor, venue=office, unit=floor5, time_in=_at(19), time_out=_at(13))
    CheckInFactory(person=other_floor, venue=office, unit=floor9, time_in=_at(19), time_out=_at(13))
    CheckInFactory(person=waiter, venue=cafe, time_in=_at(8), time_out=_at(1))
    CheckInFactory(person=fellow_waiter, venue=cafe, time_in=_at(8), time_out=_at(1))
    CheckInFactory(person=diner, venue=cafe, time_in=_at(6), time_out=_at(5))
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="community",
                                     onset_date=clock.today())
    found = services.identify(case)
    assert {office_contact.pk, waiter.pk} <= set(found["close_contact"])
    sec = found["secondary_contact"]
    assert same_floor.pk in sec and sec[same_floor.pk]["via"] == office_contact.pk
    assert sec[same_floor.pk]["evidence"][0]["unit"] == "5层"
    assert other_floor.pk not in sec
    assert fellow_waiter.pk in sec and sec[fellow_waiter.pk]["via"] == waiter.pk
    assert diner.pk not in sec


def test_time_space_companions_are_proposed_from_cell_presence_under_protocol_9(city, cast):
    """A neighbour who shared the case's 800 m cell for 40 minutes, where the case spends its nights (> 30 h in 14
    days), is proposed as a time-space companion with the cell as evidence; measures-2022-11 does not identify them."""
    from cordon.core.models import RuleSet, RuleSetAdoption
    from cordon.spacetime.factories import CellPresenceFactory

    _protocol_9()
    case_person, neighbour = PersonFactory(grid=city.a_grid), PersonFactory(grid=city.a_grid)
    for day in range(1, 5):
        CellPresenceFactory(person=case_person, start=_at(24 * day + 10), end=_at(24 * day))  # 10 h a night, 40 h
    CellPresenceFactory(person=neighbour, start=_at(24 + 9), end=_at(24 + 8) + dt.timedelta(minutes=-20))
    case = case_services.case_report(actor=cast.officer_a, person_id=case_person.pk, kind="confirmed", found_by="fever_clinic",
                                     onset_date=clock.today())
    found = services.identify(case)
    ev = found["spacetime_companion"][neighbour.pk]["evidence"][0]
    assert ev["rule"] == "spacetime" and ev["minutes"] == pytest.approx(40, abs=0.1)
    services.contacts_identify(actor=cast.officer_a, case=case)
    assert RiskPerson.objects.get(source_case=case, person=neighbour).category == "spacetime_companion"

    RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code="measures-2022-11"), effective_from=clock.today() - dt.timedelta(days=10))
    policy.clear_cache()
    assert "spacetime_companion" not in services.identify(case)
