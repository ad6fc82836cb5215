"""The incoming request handled on the pages: accepted with the grid where an unregistered person lives, answered,
declined; a bad form names its field."""

import pytest

from cordon.assist import exchange
from cordon.assist.factories import PartnerFactory
from cordon.assist.models import OutboundMessage
from cordon.assist.tests.helpers import request_body
from cordon.contacts.models import RiskPerson
from cordon.core.testing import messages_of
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_district_accepts_in_a_grid_and_answers_on_the_page(city, cast, api_client):
    partner = PartnerFactory()
    stranger = PersonFactory.build(grid=city.b_grid)
    req, _ = exchange.incoming_receive(partner=partner, data=request_body(id_number=stranger.id_number, residence_code=city.b.code))
    client = api_client(cast.officer_b)
    page = client.get(f"/assist/{req.pk}/")
    assert page.status_code == 200 and page.context["accept_form"] is not None
    assert [g.path for g in page.context["accept_form"].fields["grid"].queryset] == [city.b_grid.path]
    refused = client.post(f"/assist/{req.pk}/", {"action": "accept", "grid": ""})
    assert refused.status_code == 200 and "grid" in messages_of(refused)
    accepted = client.post(f"/assist/{req.pk}/", {"action": "accept", "grid": city.b_grid.path})
    assert accepted.status_code == 302
    req.refresh_from_db()
    assert req.status == "accepted" and RiskPerson.objects.filter(pk=req.risk_person_id, region_path=city.b_grid.path).exists()
    bad = client.post(f"/assist/{req.pk}/", {"action": "reply", "result": "maybe"})
    assert bad.status_code == 200
    answered = client.post(f"/assist/{req.pk}/", {"action": "reply", "result": "found", "note": "已电话联系本人"})
    assert answered.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.result, req.result_note) == ("done", "found", "已电话联系本人")
    assert OutboundMessage.objects.filter(request=req, kind="status").count() == 3  # received, accepted, done
    assert api_client(cast.officer_a).post(f"/assist/{req.pk}/", {"action": "reply", "result": "found"}).status_code == 404


def test_a_request_for_someone_not_living_here_is_declined_with_the_reason(city, cast, api_client):
    req, _ = exchange.incoming_receive(partner=PartnerFactory(), data=request_body(residence_code=city.a.code))
    client = api_client(cast.officer_a)
    assert client.post(f"/assist/{req.pk}/", {"action": "reject", "reason": ""}).status_code == 200
    assert client.post(f"/assist/{req.pk}/", {"action": "reject", "reason": "经核实不在本市居住"}).status_code == 302
    req.refresh_from_db()
    assert req.status == "rejected"
    assert OutboundMessage.objects.filter(request=req).last().payload["status"] == "rejected"
    assert api_client(cast.viewer_a).post(f"/assist/{req.pk}/", {"action": "start"}).status_code == 403
