"""Requests from a partner city: signed API calls (a bad signature is refused, a resend is idempotent), routing to the
district where the person lives, the lead in contacts, the task with the deadline, and the status flowing back
(fetched by the partner, or delivered to its endpoint); the Excel form of the same exchange."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import translation

from cordon.assist import exchange, rules, services
from cordon.assist.factories import PartnerFactory
from cordon.assist.models import OutboundMessage, Request
from cordon.assist.tests.helpers import request_body, signed
from cordon.command.models import Task
from cordon.contacts.models import RiskPerson
from cordon.core import clock, tabular
from cordon.core.errors import ServiceError
from cordon.people.factories import PersonFactory
from cordon.people.models import Person
from cordon.regions.models import Region

pytestmark = pytest.mark.django_db
INCOMING = "/api/v1/assist/incoming"


def test_the_signature_covers_time_method_path_and_body():
    parts = {"timestamp": "1650000000", "method": "POST", "path": INCOMING, "body": b'{"ref": "1"}'}
    sig = rules.signature("secret-0123456789abcdef", **parts)
    assert rules.signature_ok("secret-0123456789abcdef", sig, **parts)
    assert not rules.signature_ok("another-secret-0123456789", sig, **parts)
    assert not rules.signature_ok("secret-0123456789abcdef", sig, **{**parts, "body": b'{"ref": "2"}'})
    assert not rules.signature_ok("secret-0123456789abcdef", sig, **{**parts, "path": "/api/v1/assist/incoming-status"})
    now = dt.datetime.fromtimestamp(1650000000, tz=dt.UTC)
    assert rules.fresh("1650000100", now=now, window_seconds=300) and not rules.fresh("1649999000", now=now, window_seconds=300)
    assert not rules.fresh("yesterday", now=now, window_seconds=300)


def test_a_signed_request_is_routed_to_the_residents_district_with_a_lead_and_a_task(city, cast, client):
    partner = PartnerFactory()
    resident = PersonFactory(grid=city.a_grid)
    answer = signed(client, partner, "POST", INCOMING, request_body(id_number=resident.id_number))
    assert answer.status_code == 201, answer.content
    req = Request.objects.get(their_ref="HZ-2022-0001")
    assert answer.json()["handler_ref"] == req.our_ref and req.our_ref.startswith("XC9901-")
    assert (req.direction, req.status, req.region_path, req.routed_by) == ("in", "received", city.a.path, "resident")
    # the lead: a proposed risk person in contacts, in the resident's grid
    risk = RiskPerson.objects.get(person=resident)
    assert (risk.status, risk.category, risk.region_path, req.risk_person_id) == ("proposed", "close_contact", city.a_grid.path, risk.pk)
    assert any(e.get("source") == req.source for e in risk.evidence)
    # the task for the district, with the deadline the rule set gives a close contact (24 h)
    task = Task.objects.get(source=req.source)
    assert task.kind == "assist.incoming" and task.region_path == city.a.path and task.deadline == req.deadline
    assert dt.timedelta(hours=23) < req.deadline - clock.now() <= dt.timedelta(hours=24)
    # officers of district B do not see it: 404
    assert client.get(f"/api/v1/assist/requests/{req.pk}").status_code == 401
    from django.test import Client

    b = Client()
    b.force_login(cast.officer_b)
    assert b.get(f"/api/v1/assist/requests/{req.pk}").status_code == 404
    assert b.get(f"/assist/{req.pk}/").status_code == 404


def test_a_resend_is_idempotent_and_a_bad_signature_or_unknown_partner_is_refused(city, client):
    partner = PartnerFactory()
    first = signed(client, partner, "POST", INCOMING, request_body(residence_code=city.b.code))
    again = signed(client, partner, "POST", INCOMING, request_body(residence_code=city.b.code))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["handler_ref"] == first.json()["handler_ref"] and again.json()["created"] is False
    assert Request.objects.count() == 1 and Task.objects.filter(kind="assist.incoming").count() == 1
    forged = signed(client, partner, "POST", INCOMING, request_body("HZ-2"), secret="not-the-shared-secret-000")
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "unauthenticated"
    stale = signed(client, partner, "POST", INCOMING, request_body("HZ-3"), now=clock.now() - dt.timedelta(hours=1))
    assert stale.status_code == 401
    stranger = PartnerFactory.build(region_code="440300", secret=partner.secret)
    assert signed(client, stranger, "POST", INCOMING, request_body("HZ-4")).status_code == 401
    partner.active = False
    partner.save()
    assert signed(client, partner, "POST", INCOMING, request_body("HZ-5")).status_code == 403
    assert Request.objects.count() == 1


def test_routing_by_residence_code_then_id_number_place_code_then_the_city(city):
    partner = PartnerFactory()
    by_code, _ = exchange.incoming_receive(partner=partner, data=request_body("R1", residence_code=city.b_street.code))
    assert (by_code.region_path, by_code.routed_by) == (city.b.path, "residence_code")
    Region.objects.filter(pk=city.b.pk).update(code="310104")  # the place code of the ID numbers the factory makes
    stranger = PersonFactory.build(grid=city.a_grid)  # a valid ID number, not in our register
    by_id, _ = exchange.incoming_receive(partner=partner, data=request_body("R2", id_number=stranger.id_number))
    assert (by_id.region_path, by_id.routed_by, by_id.person_id, by_id.risk_person_id) == (city.b.path, "id_number", None, None)
    nowhere, _ = exchange.incoming_receive(partner=partner, data=request_body("R3", residence_code="440305"))
    assert (nowhere.region_path, nowhere.routed_by) == (city.city.path, "city")


def test_accepting_registers_an_unknown_person_in_the_grid_and_the_status_flows_back(city, cast, client):
    partner = PartnerFactory()  # no endpoint: the partner fetches its messages
    stranger = PersonFactory.build(grid=city.b_grid)
    req, _ = exchange.incoming_receive(partner=partner, data=request_body(id_number=stranger.id_number, residence_code=city.b.code))
    with pytest.raises(ServiceError) as refused:
        services.request_accept(actor=cast.officer_b, req=req)
    assert refused.value.fields[0]["field"] == "grid"
    with pytest.raises(ServiceError):
        services.request_accept(actor=cast.officer_b, req=req, grid=city.a_grid)  # another district's grid
    services.request_accept(actor=cast.officer_b, req=req, grid=city.b_grid)
    person = Person.objects.get(id_number=stranger.id_number)
    assert person.grid_id == city.b_grid.pk and RiskPerson.objects.get(person=person).pk == req.risk_person_id
    services.request_start(actor=cast.officer_b, req=req)
    services.request_reply(actor=cast.officer_b, req=req, result="placed", note="已落实居家隔离")
    req.refresh_from_db()
    assert (req.status, req.result) == ("done", "placed")
    assert Task.objects.get(source=req.source).status == "done"
    assert [s.status for s in req.steps.order_by("at", "id")] == ["received", "accepted", "in_progress", "done"]
    # the partner fetches what we owe it, signed; the cursor moves on
    fetched = signed(client, partner, "GET", "/api/v1/assist/outgoing-status?since=0")
    assert fetched.status_code == 200, fetched.content
    statuses = [m["status"] for m in fetched.json()]
    assert [s["status"] for s in statuses] == ["received", "accepted", "in_progress", "done"]
    assert statuses[-1] == {**statuses[-1], "request_ref": "HZ-2022-0001", "handler_ref": req.our_ref, "result": "placed"}
    last = fetched.json()[-1]["id"]
    assert signed(client, partner, "GET", f"/api/v1/assist/outgoing-status?since={last}").json() == []
    assert not OutboundMessage.objects.filter(delivered_at__isnull=True).exists()


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_messages_are_delivered_signed_to_a_partner_endpoint(city, cast):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.seen = []
    try:
        partner = PartnerFactory(endpoint_url=f"http://127.0.0.1:{server.server_port}/api/v1/assist/")
        req, _ = exchange.incoming_receive(partner=partner, data=request_body(residence_code=city.a.code))
        services.request_reply(actor=cast.officer_a, req=req, result="not_found", note="查无此人")
        assert exchange.messages_deliver() == {"delivered": 2, "failed": 0}
        assert exchange.messages_deliver() == {"delivered": 0, "failed": 0}
    finally:
        server.shutdown()
    first, last = _Recorder.seen
    assert first["path"] == last["path"] == "/api/v1/assist/incoming-status"
    assert json.loads(last["body"])["result"] == "not_found"
    h = last["headers"]
    assert rules.signature_ok(partner.secret, h["X-Assist-Signature"], timestamp=h["X-Assist-Timestamp"], method="POST",
                              path="/api/v1/assist/incoming-status", body=last["body"])
    down = PartnerFactory(region_code="320500", endpoint_url="http://127.0.0.1:9/")  # nobody listens: counted, retried later
    other, _ = exchange.incoming_receive(partner=down, data=request_body("S1", residence_code=city.a.code))
    assert exchange.messages_deliver(timeout=2) == {"delivered": 0, "failed": 1}
    assert OutboundMessage.objects.get(request=other).attempts == 1


def _sheet(rows) -> bytes:
    headers = [h for h, _example in exchange.TEMPLATE]
    return tabular.xlsx_bytes(headers, [[r.get(h, "") for h in headers] for r in rows])


def test_the_excel_template_round_trips_and_row_errors_name_row_and_column_in_chinese(city, cast, api_client):
    partner = PartnerFactory()
    assert tabular.template_unaccepted(exchange.TEMPLATE, exchange.ALIASES) == []
    client = api_client(cast.officer_a)
    template = client.get("/assist/upload/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    resident = PersonFactory(grid=city.a_grid)
    good = {"对方编号": "HZ-X1", "姓名": "赵六", "身份证号": resident.id_number, "接触类型": "密切接触者",
            "末次接触时间": clock.local(clock.now() - dt.timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"), "协查事项": "落地管控"}
    bad = {**good, "对方编号": "HZ-X2", "身份证号": "110105194912310021", "接触类型": "路人"}
    with translation.override("zh-hans"), pytest.raises(ServiceError) as refused:
        exchange.incoming_import(actor=cast.officer_a, partner=partner, data=_sheet([good, bad]), filename="协查.xlsx")
    assert Request.objects.count() == 0 and RiskPerson.objects.count() == 0
    assert {(f["row"], f["field"]) for f in refused.value.fields} == {(3, "身份证号")}
    assert "第 3 行，身份证号" in refused.value.message
    bad_kind = {**good, "对方编号": "HZ-X3", "接触类型": "路人"}
    with translation.override("zh-hans"), pytest.raises(ServiceError) as refused:
        exchange.incoming_import(actor=cast.officer_a, partner=partner, data=_sheet([good, bad_kind]), filename="协查.xlsx")
    assert refused.value.fields[0]["row"] == 3 and refused.value.fields[0]["field"] == "接触类型"
    page = client.post("/assist/upload/", {"partner": partner.pk, "file": _upload(_sheet([good]))})
    assert page.status_code == 302
    req = Request.objects.get(their_ref="HZ-X1")
    assert (req.action, req.region_path, req.routed_by) == ("landing", city.a.path, "resident")
    assert RiskPerson.objects.filter(person=resident, status="proposed").exists()
    again = exchange.incoming_import(actor=cast.officer_a, partner=partner, data=_sheet([good]), filename="协查.xlsx")
    assert again == {"rows": 1, "created": 0, "existing": 1}


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("协查.xlsx", data, content_type=tabular.XLSX_CONTENT_TYPE)
