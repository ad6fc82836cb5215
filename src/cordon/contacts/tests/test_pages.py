"""The contact pages through the shared layers: forms validate entry by hand and bulk decisions (a bad value is
named and nothing is written), and the RiskFilter filters the page, its export and the API alike."""

import datetime as dt

import pytest

from cordon.cases import services as case_services
from cordon.contacts import forms
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.testing import exported_rows, label, messages_of
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _proposal(city, category="close_contact", case=None):
    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category=category, last_exposure=clock.now(),
                                     evidence=[{"rule": "named"}], source_case=case)


def test_an_officer_enters_a_risk_person_in_city_time(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    last = clock.local(clock.now() - dt.timedelta(days=1)).replace(second=0, microsecond=0)
    answer = api_client(cast.officer_a).post("/contacts/add/", {"id_number": p.id_number, "category": "close_contact",
                                                                "last_exposure": last.strftime("%Y-%m-%dT%H:%M")})
    row = RiskPerson.objects.get(person=p)
    assert answer.status_code == 302 and answer["Location"] == f"/contacts/{row.pk}/"
    assert clock.local(row.last_exposure).strftime("%H:%M") == last.strftime("%H:%M")


def test_a_bad_entry_or_decision_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    p = PersonFactory(grid=city.a_grid)
    bad = client.post("/contacts/add/", {"id_number": p.id_number, "category": "close_contact", "last_exposure": "soon"})
    assert bad.status_code == 302 and RiskPerson.objects.count() == 0 and label(forms.AddForm, "last_exposure") in messages_of(bad)
    bad = client.post("/contacts/add/", {"id_number": PersonFactory(grid=city.b_grid).id_number, "category": "close_contact",
                                         "last_exposure": "2026-01-01T10:00"})
    assert RiskPerson.objects.count() == 0 and label(forms.AddForm, "id_number") in messages_of(bad)
    row = _proposal(city)
    bad = client.post("/contacts/decide/", {"ids": [row.pk], "decision": "maybe", "next": "/contacts/"})
    row.refresh_from_db()
    assert bad["Location"] == "/contacts/" and row.status == "proposed" and label(forms.DecideForm, "decision") in messages_of(bad)
    done = client.post("/contacts/decide/", {"ids": [row.pk], "decision": "reject", "next": "https://elsewhere.example/"})
    row.refresh_from_db()
    assert done["Location"] == "/contacts/" and row.status == "rejected"


def test_the_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    case = case_services.case_report(actor=cast.officer_a, person_id=PersonFactory(grid=city.a_grid).pk, kind="confirmed", found_by="manual")
    mine = _proposal(city, case=case)
    _proposal(city)
    page = client.get("/contacts/", {"case": case.pk})
    assert [c["id"] for c in page.context["cards"]] == [mine.pk]
    assert client.get("/api/v1/contacts/", {"case": case.pk}).json()["count"] == 1
    bad = client.get("/api/v1/contacts/", {"category": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "category"
    shown = client.get("/contacts/", {"case": "abc"})
    assert shown.status_code == 200 and list(shown.context["page"]) == [] and "case" in messages_of(shown)
    assert exported_rows(client, "/contacts/", {"case": case.pk}) == 1
    api_export = client.get("/api/v1/contacts/export", {"case": case.pk, "format": "csv"})
    assert api_export.content.decode("utf-8-sig").count("\n") == 2


def test_a_risk_person_entered_by_hand_names_the_case_by_the_infected_persons_search(city, cast, api_client):
    infected = PersonFactory(grid=city.a_grid)
    case = case_services.case_report(actor=cast.officer_a, person_id=infected.pk, kind="confirmed", found_by="manual")
    p = PersonFactory(grid=city.a_grid)
    client = api_client(cast.officer_a)
    form = {"id_number": p.id_number, "category": "close_contact", "last_exposure": "2026-01-01T10:00"}
    assert client.post("/contacts/add/", {**form, "case": infected.pk}).status_code == 302
    assert RiskPerson.objects.get(person=p).source_case_id == case.pk
    other = PersonFactory(grid=city.a_grid)
    refused = client.post("/contacts/add/", {**form, "id_number": other.id_number, "case": p.pk})  # not a case
    assert not RiskPerson.objects.filter(person=other).exists() and label(forms.AddForm, "case") in messages_of(refused)
