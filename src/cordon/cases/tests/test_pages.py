"""The case pages through the shared layers: forms validate the report and the case page's inputs (a bad value is
named and nothing is written), and the CaseFilter filters the page, its export and the API alike."""

import datetime as dt

import pytest

from cordon.cases import forms, services
from cordon.cases.models import Case, NamedContact, Stay
from cordon.core import clock
from cordon.core.testing import assert_filter_refused, exported_rows, label, messages_of
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _case(city, cast, **extra):
    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=cast.officer_a, person_id=p.pk, kind="confirmed", found_by="manual", **extra)


def test_an_officer_reports_a_case_on_the_page_in_city_time(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    sampled = clock.local(clock.now() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    answer = api_client(cast.officer_a).post("/cases/report/", {"id_number": p.id_number, "kind": "confirmed", "found_by": "fever_clinic",
                                                               "severity": "mild", "sampled_at": sampled.strftime("%Y-%m-%dT%H:%M")})
    case = Case.objects.get(person=p)
    assert answer.status_code == 302 and answer["Location"] == f"/cases/{case.pk}/"
    assert clock.local(case.sampled_at).strftime("%H:%M") == sampled.strftime("%H:%M")


def test_a_bad_report_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    p = PersonFactory(grid=city.a_grid)
    answer = client.post("/cases/report/", {"id_number": p.id_number, "kind": "nonsense", "found_by": "fever_clinic"})
    assert answer.status_code == 302 and Case.objects.count() == 0 and label(forms.ReportForm, "kind") in messages_of(answer)
    other = PersonFactory(grid=city.b_grid)  # another district's resident: not found by ID number
    answer = client.post("/cases/report/", {"id_number": other.id_number, "kind": "confirmed", "found_by": "fever_clinic"})
    assert Case.objects.count() == 0 and label(forms.ReportForm, "id_number") in messages_of(answer)


def test_the_case_page_forms_write_or_name_the_bad_field(city, cast, api_client):
    client = api_client(cast.officer_a)
    case = _case(city, cast)
    t = clock.local(clock.now() - dt.timedelta(hours=5)).replace(second=0, microsecond=0)
    stay = {"kind": "place", "place": "home", "time_in": t.strftime("%Y-%m-%dT%H:%M"),
            "time_out": (t + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    bad = client.post(f"/cases/{case.pk}/stays/", {**stay, "time_out": "yesterday"})
    assert bad.status_code == 302 and Stay.objects.count() == 0 and label(forms.StayForm, "time_out") in messages_of(bad)
    client.post(f"/cases/{case.pk}/stays/", stay)
    assert clock.local(Stay.objects.get().time_in).strftime("%H:%M") == t.strftime("%H:%M")
    named = PersonFactory(grid=city.a_grid)
    bad = client.post(f"/cases/{case.pk}/named/", {"id_number": named.id_number, "setting": "x" * 41, "last_exposure": stay["time_in"]})
    assert NamedContact.objects.count() == 0 and label(forms.NamedContactForm, "setting") in messages_of(bad)
    client.post(f"/cases/{case.pk}/named/", {"id_number": named.id_number, "setting": "meal", "last_exposure": stay["time_in"]})
    assert NamedContact.objects.get().person == named
    bad = client.post(f"/cases/{case.pk}/advance/", {"status": "nonsense"})
    case.refresh_from_db()
    assert case.status == "investigating" and label(forms.AdvanceForm, "status") in messages_of(bad)
    client.post(f"/cases/{case.pk}/investigation/", {"severity": "severe", "notes": "follow-up"})
    case.refresh_from_db()
    assert case.severity == "severe" and case.notes == "follow-up" and case.onset_date is None
    bad = client.post(f"/cases/{case.pk}/infector/", {"infector_id": "abc"})
    assert label(forms.InfectorForm, "infector_id") in messages_of(bad)


def test_the_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _case(city, cast)
    asymptomatic = PersonFactory(grid=city.a_grid)
    services.case_report(actor=cast.officer_a, person_id=asymptomatic.pk, kind="asymptomatic", found_by="screening")
    page = client.get("/cases/", {"kind": "asymptomatic"})
    assert [r["case"].person_id for r in page.context["rows"]] == [asymptomatic.pk]
    assert client.get("/api/v1/cases/", {"kind": "asymptomatic"}).json()["count"] == 1
    assert_filter_refused(client, api="/api/v1/cases/", page="/cases/", field="status", value="nonsense")
    assert exported_rows(client, "/cases/", {"kind": "asymptomatic"}) == 1
    clusters = client.get("/cases/clusters/", {"days": "abc"})
    assert clusters.status_code == 200 and label(forms.ClusterListForm, "days") in messages_of(clusters)
