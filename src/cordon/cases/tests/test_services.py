import datetime as dt

import pytest

from cordon.cases import selectors, services
from cordon.cases.models import Case, Stay
from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.status.models import HealthStatus
from cordon.venues.factories import VenueFactory

pytestmark = pytest.mark.django_db


def _report(cast, person, **kw):
    # symptoms began on the day of confirmation (the city's day: at 00:30, "5 hours ago" is yesterday)
    onset = clock.day_of(kw.get("confirmed_at") or clock.now())
    args = {"kind": "confirmed", "found_by": "fever_clinic", "onset_date": onset} | kw
    return services.case_report(actor=cast.officer_a, person_id=person.pk, **args)


def test_reporting_a_case_turns_the_person_red_and_is_audited(city, cast):
    p = PersonFactory(grid=city.a_grid)
    case = _report(cast, p)
    assert case.region_path == p.region_path and case.status == "reported"
    assert HealthStatus.objects.get(person=p).colour == "red"
    assert AuditEntry.objects.filter(action="case.report", object_id=str(case.pk)).exists()


def test_a_repeat_with_the_same_source_returns_the_same_case(city, cast):
    p = PersonFactory(grid=city.a_grid)
    a = services.case_report(actor=SYSTEM, person_id=p.pk, kind="asymptomatic", found_by="screening", source="screening.sample:9")
    b = services.case_report(actor=SYSTEM, person_id=p.pk, kind="asymptomatic", found_by="screening", source="screening.sample:9")
    assert a.pk == b.pk and Case.objects.count() == 1


def test_bad_reports_name_the_field(city, cast):
    p = PersonFactory(grid=city.a_grid)
    cases = [({"person_id": 999999}, "person_id"), ({"kind": "maybe"}, "kind"), ({"found_by": "rumour"}, "found_by"),
             ({"onset_date": clock.today() + dt.timedelta(days=2)}, "onset_date"),
             ({"confirmed_at": clock.now() + dt.timedelta(days=1)}, "confirmed_at")]
    for extra, field in cases:
        args = {"kind": "confirmed", "found_by": "fever_clinic", "person_id": p.pk} | extra
        with pytest.raises(ServiceError) as err:
            services.case_report(actor=cast.officer_a, **args)
        assert err.value.fields[0]["field"] == field
    _report(cast, p)
    with pytest.raises(Conflict):
        _report(cast, p)


def test_a_viewer_cannot_report_and_district_b_cannot_see_the_person(city, cast):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(PermissionDenied):
        services.case_report(actor=cast.viewer_a, person_id=p.pk, kind="confirmed", found_by="manual")
    with pytest.raises(Http404):
        services.case_report(actor=cast.officer_b, person_id=p.pk, kind="confirmed", found_by="manual")


def test_trajectory_rejects_bad_rows_and_writes_nothing(city, cast):
    case = _report(cast, PersonFactory(grid=city.a_grid))
    venue = VenueFactory(region=city.a_community)
    t = clock.now() - dt.timedelta(hours=10)
    good = {"venue_code": venue.code, "time_in": t, "time_out": t + dt.timedelta(hours=1)}
    bad_rows = [({"time_out": t - dt.timedelta(hours=1)}, "time_out"), ({"venue_code": "NOPE"}, "venue_code"),
                ({"time_out": clock.now() + dt.timedelta(days=1)}, "time_out")]
    for change, field in bad_rows:
        with pytest.raises(ServiceError) as err:
            services.stays_add(actor=cast.officer_a, case=case, items=[good, good | change])
        assert err.value.fields[0] == {"field": field, "message": err.value.fields[0]["message"], "row": 2}
    assert Stay.objects.count() == 0
    overlap = good | {"time_in": t + dt.timedelta(minutes=30), "time_out": t + dt.timedelta(hours=2), "place": "home", "venue_code": ""}
    with pytest.raises(ServiceError) as err:
        services.stays_add(actor=cast.officer_a, case=case, items=[good, overlap])
    assert err.value.fields[0]["row"] == 2
    assert services.stays_add(actor=cast.officer_a, case=case, items=[good]) == {"added": 1, "skipped": 0}
    assert services.stays_add(actor=cast.officer_a, case=case, items=[good]) == {"added": 0, "skipped": 1}
    case.refresh_from_db()
    assert case.status == "investigating" and case.on_site_at is not None


def test_the_timeline_moves_forward_only_and_stamps_the_clock(city, cast):
    case = _report(cast, PersonFactory(grid=city.a_grid))
    services.case_advance(actor=cast.officer_a, case=case, status="core_done")
    assert case.on_site_at and case.core_done_at and not case.report_done_at
    assert list(case.events.values_list("status", flat=True)) == ["reported", "investigating", "core_done"]
    with pytest.raises(ServiceError):
        services.case_advance(actor=cast.officer_a, case=case, status="investigating")


def test_overdue_steps_file_one_task_per_case_and_report_done_closes_it(city, cast):
    case = _report(cast, PersonFactory(grid=city.a_grid), confirmed_at=clock.now() - dt.timedelta(hours=5))
    assert services.check_overdue(actor=SYSTEM) == 1
    services.check_overdue(actor=SYSTEM)
    task = Task.objects.get(kind="tracing.overdue", source=f"cases.case:{case.pk}")
    assert "on_site" in task.title
    services.case_advance(actor=cast.officer_a, case=case, status="report_done")
    task.refresh_from_db()
    assert task.status == "done"


def test_infector_links_refuse_cycles_and_count_generations(city, cast):
    a = _report(cast, PersonFactory(grid=city.a_grid), onset_date=clock.today() - dt.timedelta(days=4))
    b = _report(cast, PersonFactory(grid=city.a_grid))
    services.case_link_infector(actor=cast.officer_a, case=b, infector_id=a.pk)
    with pytest.raises(ServiceError):
        services.case_link_infector(actor=cast.officer_a, case=a, infector_id=b.pk)
    clusters = selectors.clusters(actor=cast.officer_a)
    assert clusters[0]["size"] == 2 and clusters[0]["generations"] == {1: 1, 2: 1}
    assert selectors.clusters(actor=cast.officer_b) == []


def test_probable_infectors_come_from_shared_households_weighted_by_serial_interval(city, cast):
    first = PersonFactory(grid=city.a_grid)
    second = PersonFactory(grid=city.a_grid, household=first.household)
    stranger = PersonFactory(grid=city.a_grid)
    a = _report(cast, first, onset_date=clock.today() - dt.timedelta(days=3))
    _report(cast, stranger, onset_date=clock.today() - dt.timedelta(days=3))
    b = _report(cast, second)
    found = selectors.probable_infectors(actor=cast.officer_a, case=b)
    assert [c["case_id"] for c in found] == [a.pk] and found[0]["exposure"] == "household"


def test_the_job_runs_the_sla_check(city, cast):
    from cordon.cases import jobs

    _report(cast, PersonFactory(grid=city.a_grid), confirmed_at=clock.now() - dt.timedelta(hours=3))
    assert jobs.check_overdue.call() == 1


def test_a_trajectory_stay_can_name_the_unit_of_its_venue(city, cast):
    from cordon.venues.factories import VenueFactory
    from cordon.venues.models import VenueUnit

    person = PersonFactory(grid=city.a_grid)
    office = VenueFactory(region=city.a_community, kind="office")
    VenueUnit.objects.create(venue=office, name="12层", kind="floor")
    case = services.case_report(actor=cast.officer_a, person_id=person.pk, kind="confirmed", found_by="fever_clinic",
                                onset_date=clock.today())
    t0 = clock.now() - dt.timedelta(hours=10)
    item = {"venue_code": office.code, "time_in": t0.isoformat(), "time_out": (t0 + dt.timedelta(hours=8)).isoformat()}
    with pytest.raises(ServiceError) as err:
        services.stays_add(actor=cast.officer_a, case=case, items=[item | {"unit": "13层"}])
    assert err.value.fields[0]["field"] == "unit" and err.value.fields[0]["row"] == 1
    with pytest.raises(ServiceError):
        services.stays_add(actor=cast.officer_a, case=case, items=[{"place": "家", "unit": "12层", "time_in": item["time_in"],
                                                                   "time_out": item["time_out"]}])
    assert services.stays_add(actor=cast.officer_a, case=case, items=[item | {"unit": "12层"}]) == {"added": 1, "skipped": 0}
    assert case.stays.get().unit.name == "12层"


def test_a_case_never_moves_backwards_and_its_page_offers_only_later_steps(city, cast, client):
    case = _report(cast, PersonFactory(grid=city.a_grid))
    services.case_advance(actor=cast.officer_a, case=case, status="core_done")
    with pytest.raises(ServiceError) as e:
        services.case_advance(actor=cast.officer_a, case=case, status="investigating")
    assert e.value.code == "transition"
    client.force_login(cast.officer_a)
    form = client.get(f"/cases/{case.pk}/").content.decode().split('name="status"')[1].split("</select>")[0]
    assert 'value="report_done"' in form and 'value="investigating"' not in form and 'value="reported"' not in form
