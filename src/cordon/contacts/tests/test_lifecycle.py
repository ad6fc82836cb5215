"""A risk person moves only along its lifecycle (proposed -> confirmed or rejected; confirmed -> under measures ->
released): the services refuse any other step naming the field, the API lists the allowed next statuses and the
risk person's page offers only those."""

import pytest

from cordon.contacts import services
from cordon.contacts.enums import RISK_LIFECYCLE
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _proposal(city) -> RiskPerson:
    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact",
                                     last_exposure=clock.now(), evidence=[{"rule": "named"}])


def _steps(page: str) -> set[str]:
    return {part.split('"')[0] for part in page.split('data-step="')[1:]}


def test_a_rejected_or_released_risk_person_never_moves_again(city, cast):
    rejected, released = _proposal(city), _proposal(city)
    services.risk_decide(actor=cast.officer_a, ids=[rejected.pk], decision="reject")
    RiskPerson.objects.filter(pk=released.pk).update(status="released")
    with pytest.raises(Conflict) as e:
        services.risk_release(actor=cast.officer_a, risk=RiskPerson.objects.get(pk=rejected.pk))
    assert e.value.code == "transition" and e.value.fields[0]["field"] == "status"
    with pytest.raises(Conflict) as e:
        services.risk_decide(actor=cast.officer_a, ids=[released.pk], decision="confirm")
    assert e.value.code == "transition" and e.value.fields[0] == {**e.value.fields[0], "field": "ids", "row": 1}
    with pytest.raises(Conflict):
        services.measures_apply(actor=cast.officer_a, risk=RiskPerson.objects.get(pk=rejected.pk))
    assert dict(RiskPerson.objects.values_list("pk", "status")) == {rejected.pk: "rejected", released.pk: "released"}


def test_the_api_lists_the_allowed_next_statuses_and_refuses_a_backward_step(city, cast, api_client):
    row = _proposal(city)
    c = api_client(cast.officer_a)
    assert c.get(f"/api/v1/contacts/{row.pk}").json()["next_statuses"] == ["confirmed", "rejected"]
    c.post("/api/v1/contacts/decide", {"ids": [row.pk], "decision": "confirm"}, content_type="application/json")
    body = c.get(f"/api/v1/contacts/{row.pk}").json()
    assert body["status"] == "under_measures" and body["next_statuses"] == list(RISK_LIFECYCLE.allowed("under_measures"))
    r = c.post("/api/v1/contacts/decide", {"ids": [row.pk], "decision": "reject"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "ids"
    assert RiskPerson.objects.get(pk=row.pk).status == "under_measures"


def test_the_page_offers_only_the_allowed_next_steps(city, cast, client):
    row = _proposal(city)
    client.force_login(cast.officer_a)
    assert _steps(client.get(f"/contacts/{row.pk}/").content.decode()) == {"confirm", "reject"}
    services.risk_decide(actor=cast.officer_a, ids=[row.pk], decision="confirm")
    assert _steps(client.get(f"/contacts/{row.pk}/").content.decode()) == {"release"}
    RiskPerson.objects.filter(pk=row.pk).update(status="released")
    assert _steps(client.get(f"/contacts/{row.pk}/").content.decode()) == set()
    r = client.post("/contacts/decide/", {"ids": [row.pk], "decision": "reject", "next": f"/contacts/{row.pk}/"})
    assert r.status_code == 302 and RiskPerson.objects.get(pk=row.pk).status == "released"


def test_the_page_decides_a_proposal_and_comes_back_to_it(city, cast, client):
    row = _proposal(city)
    client.force_login(cast.officer_a)
    r = client.post("/contacts/decide/", {"ids": [row.pk], "decision": "reject", "next": f"/contacts/{row.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/contacts/{row.pk}/"
    assert RiskPerson.objects.get(pk=row.pk).status == "rejected"
