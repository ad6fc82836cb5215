"""The livelihood pages through the shared layers: forms validate needs, tickets, enterprises and plans; a bad value
names the field and writes nothing; one FilterSet filters each list's page, its export and the API alike."""

import pytest

from cordon.core.testing import (
    assert_filter_refused,
    assert_filtered_alike,
    label,
    messages_of,
)
from cordon.livelihood import factories, forms, services
from cordon.livelihood.models import Emergency, Enterprise, Incident, LoopPlan, LoopStaff, Need
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _enterprise(client, city, **changes):
    data = {"name": "Grain mill", "credit_code": "91110000123456789X", "sector": "food", "region_id": city.a_street.path, **changes}
    return client.post("/livelihood/enterprises/", data)


def test_a_need_is_filed_on_the_page_by_household_number(city, cast, api_client):
    hh = PersonFactory(grid=city.a_grid).household_id
    answer = api_client(cast.officer_a).post("/livelihood/", {"household": str(hh), "kind": "food", "detail": "rice"})
    n = Need.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/livelihood/needs/{n.pk}/" and n.household_id == hh


def test_a_bad_value_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    hh = PersonFactory(grid=city.a_grid).household_id
    answer = client.post("/livelihood/", {"household": str(hh), "kind": "caviar"})
    assert answer.status_code == 200 and label(forms.NeedForm, "kind", answer) in messages_of(answer) and Need.objects.count() == 0
    answer = client.post("/livelihood/essentials/", {"form": "incident", "kind": "water", "region_id": city.a_street.path,
                                                     "address": "1 Main St", "households": "-3"}, follow=True)
    assert label(forms.IncidentForm, "households", answer) in messages_of(answer) and Incident.objects.count() == 0
    assert _enterprise(client, city).status_code == 302
    ent = Enterprise.objects.get()
    answer = client.post(f"/livelihood/enterprises/{ent.pk}/", {"action": "plan", "start": "soon", "end": "2100-01-02",
                                                                "dormitory": "Block A"}, follow=True)
    assert label(forms.PlanForm, "start", answer) in messages_of(answer) and LoopPlan.objects.count() == 0


def test_the_enterprise_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _enterprise(client, city)
    _enterprise(client, city, name="Pharmacy", credit_code="91110000123456780X", sector="medical")
    assert_filtered_alike(client, page="/livelihood/enterprises/", api="/api/v1/livelihood/enterprises", params={"sector": "medical"},
                          names=["Pharmacy"])
    assert client.get("/api/v1/livelihood/enterprises", {"whitelisted": "false"}).json()["count"] == 2
    assert_filter_refused(client, api="/api/v1/livelihood/enterprises", page="/livelihood/enterprises/", field="sector", value="nonsense")


def test_the_needs_page_and_api_filter_pending_needs_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    hh = PersonFactory(grid=city.a_grid).household_id
    client.post("/livelihood/", {"household": str(hh), "kind": "food"})
    assert len(client.get("/livelihood/", {"status": "pending"}).context["rows"]) == 1
    assert client.get("/api/v1/livelihood/needs", {"status": "pending"}).json()["count"] == 1
    assert client.get("/api/v1/livelihood/needs", {"status": "delivered"}).json()["count"] == 0
    assert client.get("/api/v1/livelihood/needs", {"status": "nonsense"}).status_code == 400


def test_the_emergency_stock_and_closed_loop_forms_reach_their_services(city, cast, api_client):
    client = api_client(cast.officer_a)
    person = PersonFactory(grid=city.a_grid)
    answer = client.post("/livelihood/emergencies/", {"kind": "dialysis", "person": str(person.pk), "detail": "Tuesday session"})
    e = Emergency.objects.get()
    assert answer["Location"] == f"/livelihood/emergencies/{e.pk}/" and e.person_id == person.pk
    client.post(f"/livelihood/emergencies/{e.pk}/", {"action": "dispatch", "dispatch_kind": "teleport"})
    e.refresh_from_db()
    assert not e.dispatch_kind  # an unknown dispatch kind is refused by the form
    sp = services.supply_point_create(actor=cast.officer_a, name="Market", kind="supermarket", region_id=city.a_community.pk)
    client.post("/livelihood/essentials/", {"form": "stock", "pk": str(sp.pk), "vegetables": "tight", "grain": ""})
    sp.refresh_from_db()
    assert (sp.vegetables, sp.grain, sp.open) == ("tight", "ample", False)
    p = factories.plan(city.a_street)
    client.post(f"/livelihood/plans/{p.pk}/", {"action": "staff", "rows": f"Li Lei, {person.id_number}, 13800000000\n\n"})
    staff = LoopStaff.objects.get(plan=p)
    client.post(f"/livelihood/plans/{p.pk}/", {"action": "test", "staff": str(staff.pk), "tested_on": "2000-01-03", "negative": "1"})
    staff.refresh_from_db()
    assert str(staff.last_test) == "2000-01-03" and staff.last_negative
