"""Requests we send: drafted on the page from a risk person, sent with the deadline (a task for the sender, escalated
when overdue, at any hour of the city's day), the partner's status reports closing it; masked by default."""

import datetime as dt

import pytest

from cordon.assist import services
from cordon.assist.factories import PartnerFactory
from cordon.assist.models import OutboundMessage, Request
from cordon.assist.tests.helpers import signed
from cordon.command import services as command_services
from cordon.command.models import Task
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _risk(city):
    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", status="confirmed",
                                     last_exposure=clock.now() - dt.timedelta(hours=10), evidence=[{"rule": "named"}])


def test_a_tracer_drafts_from_a_risk_person_sends_and_the_partner_reports_back(city, cast, api_client, client):
    partner = PartnerFactory()
    risk = _risk(city)
    web = api_client(cast.officer_a)
    form = web.get(f"/assist/new/?risk={risk.pk}")
    assert form.status_code == 200 and form.context["risk"] == risk
    made = web.post(f"/assist/new/?risk={risk.pk}", {"partner": partner.pk, "action": "verify", "address": "杭州市西湖区 某小区 2号楼",
                                                     "residence_code": "330106"})
    req = Request.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/assist/{req.pk}/"
    assert (req.direction, req.status, req.name, req.id_number, req.region_path) == ("out", "draft", risk.person.name,
                                                                                      risk.person.id_number, risk.region_path)
    assert not OutboundMessage.objects.exists() and not Task.objects.exists()
    sent = web.post(f"/assist/{req.pk}/", {"action": "send"})
    assert sent.status_code == 302
    req.refresh_from_db()
    assert req.status == "sent" and dt.timedelta(hours=23) < req.deadline - clock.now() <= dt.timedelta(hours=24)
    task = Task.objects.get(source=req.source)
    assert (task.kind, task.owner_id, task.deadline) == ("assist.outgoing", cast.officer_a.pk, req.deadline)
    message = OutboundMessage.objects.get(request=req, kind="request")
    assert message.payload["person"]["id_number"] == risk.person.id_number  # full data for the receiving authority only
    # the partner fetches it, then reports, signed
    fetched = signed(client, partner, "GET", "/api/v1/assist/outgoing-status?since=0").json()
    assert fetched[0]["kind"] == "request" and fetched[0]["request"]["ref"] == req.our_ref
    report = {"request_ref": req.our_ref, "handler_ref": "HZ-R-9", "status": "accepted"}
    assert signed(client, partner, "POST", "/api/v1/assist/incoming-status", report).status_code == 200
    done = signed(client, partner, "POST", "/api/v1/assist/incoming-status",
                  {**report, "status": "done", "result": "placed", "note": "已集中隔离"})
    assert done.json() == {"request_ref": req.our_ref, "status": "done", "result": "placed"}
    req.refresh_from_db()
    assert (req.status, req.result, req.their_ref) == ("done", "placed", "HZ-R-9")
    assert Task.objects.get(pk=task.pk).status == "done"
    assert [(s.status, s.by_partner) for s in req.steps.order_by("at", "id")] == [
        ("draft", False), ("sent", False), ("accepted", True), ("done", True)]
    unknown = signed(client, partner, "POST", "/api/v1/assist/incoming-status", {**report, "request_ref": "XC-none"})
    assert unknown.status_code == 404
    # the page shows the person masked; unmasking is audited
    page = web.get(f"/assist/{req.pk}/")
    assert page.context["person"]["masked"] and risk.person.id_number not in page.content.decode()
    shown = web.get(f"/assist/{req.pk}/?unmask=1")
    assert risk.person.id_number in shown.content.decode()
    assert AuditEntry.objects.filter(action="assist.unmask", object_id=str(req.pk)).exists()
    viewer = api_client(cast.viewer_a).get(f"/api/v1/assist/requests/{req.pk}?unmask=true").json()
    assert viewer["person"]["masked"] is True and viewer["steps"][-1]["status"] == "done"


def test_an_overdue_request_is_marked_and_its_task_escalated(city, cast):
    partner = PartnerFactory()
    req = services.request_draft(actor=cast.officer_a, partner=partner, region=city.a_community, name="王五", phone="13700000000",
                                 contact_kind="secondary_contact", last_exposure=clock.now() - dt.timedelta(hours=2))
    services.request_send(actor=cast.officer_a, req=req)
    assert dt.timedelta(hours=47) < req.deadline - clock.now() <= dt.timedelta(hours=48)  # secondary contacts: 48 h
    assert services.requests_mark_overdue(now=req.deadline - dt.timedelta(minutes=1)) == 0
    later = req.deadline + dt.timedelta(minutes=30)
    assert services.requests_mark_overdue(now=later) == 1
    req.refresh_from_db()
    assert req.status == "overdue"
    assert command_services.tasks_escalate_overdue(now=later)["escalated"] >= 1
    task = Task.objects.get(source=req.source)
    assert (task.escalation_level, task.owner_id) == (1, cast.commander.pk)
    # the partner's late answer still lands and closes the task
    services.partner_reported(partner=partner, request_ref=req.our_ref, status="done", result="found")
    assert Task.objects.get(pk=task.pk).status == "done"


def test_an_incoming_request_past_its_deadline_goes_overdue_and_the_partner_is_told(city, cast):
    from cordon.assist import exchange
    from cordon.assist.tests.helpers import request_body

    partner = PartnerFactory()
    req, _ = exchange.incoming_receive(partner=partner, data={**request_body(residence_code=city.a.code),
                                                              "deadline": (clock.now() + dt.timedelta(hours=2)).isoformat()})
    assert services.requests_mark_overdue(now=clock.now() + dt.timedelta(hours=3)) == 1
    req.refresh_from_db()
    assert req.status == "overdue"
    assert OutboundMessage.objects.filter(request=req, kind="status").last().payload["status"] == "overdue"
    services.request_reply(actor=cast.officer_a, req=req, result="not_found")  # still answered after the deadline
    req.refresh_from_db()
    assert req.status == "done"


def test_drafting_checks_its_input_and_scope(city, cast, api_client):
    partner = PartnerFactory()
    client = api_client(cast.officer_a)
    body = {"partner_id": partner.pk, "region_path": city.a_community.path, "name": "王五", "contact_kind": "close_contact",
            "last_exposure": (clock.now() - dt.timedelta(hours=3)).isoformat()}
    missing = client.post("/api/v1/assist/requests", body, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["error"]["fields"][0]["field"] == "id_number"
    future = client.post("/api/v1/assist/requests", {**body, "phone": "13700000000",
                                                     "last_exposure": (clock.now() + dt.timedelta(days=1)).isoformat()},
                         content_type="application/json")
    assert future.status_code == 400 and future.json()["error"]["fields"][0]["field"] == "last_exposure"
    ok = client.post("/api/v1/assist/requests", {**body, "phone": "13700000000"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["person"]["masked"] is True and ok.json()["status"] == "draft"
    other = _risk(city)
    from_b = api_client(cast.officer_b).post("/api/v1/assist/requests", {"partner_id": partner.pk, "risk_person_id": other.pk},
                                             content_type="application/json")
    assert from_b.status_code == 404
    listed = client.get("/api/v1/assist/requests", {"direction": "out", "overdue": "0"}).json()
    assert listed["count"] == 1
    assert api_client(cast.officer_b).get("/api/v1/assist/requests").json()["count"] == 0


def test_the_pages_list_filter_and_highlight_overdue(city, cast, api_client):
    partner = PartnerFactory()
    req = services.request_draft(actor=cast.officer_a, partner=partner, region=city.a_community, name="王五", phone="13700000000",
                                 contact_kind="close_contact", last_exposure=clock.now() - dt.timedelta(hours=2))
    services.request_send(actor=cast.officer_a, req=req)
    Request.objects.filter(pk=req.pk).update(deadline=clock.now() - dt.timedelta(minutes=5))
    client = api_client(cast.officer_a)
    page = client.get("/assist/", {"overdue": "1"})
    assert page.status_code == 200 and [r.pk for r in page.context["page"]] == [req.pk] and req.pk in page.context["late"]
    assert page.context["counts"]["overdue"] == 1
    assert list(client.get("/assist/", {"direction": "in"}).context["page"]) == []
    partners = client.get("/assist/partners/")
    assert partners.status_code == 200 and partner.name in partners.content.decode() and partner.secret not in partners.content.decode()
    commander = api_client(cast.commander)
    added = commander.post("/assist/partners/", {"name": "苏州市疫情防控指挥部", "region_code": "320500", "secret": "x" * 20})
    assert added.status_code == 302
    refused = commander.post("/assist/partners/", {"name": "某地", "region_code": "32050", "secret": "x" * 20})
    assert refused.status_code == 200 and "region_code" in refused.context["form"].errors
