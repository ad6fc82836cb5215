"""A key worker's or driver's pass at a checkpoint inspection, end to end (API and the checkpoint page): valid ->
allowed with its conditions, route mismatch or test expired -> held with the reason; the passage is counted in the
flows per checkpoint and day; another district sees none of it."""

import datetime as dt

import pytest

from cordon.checkpoints.factories import CheckpointFactory
from cordon.checkpoints.models import Inspection
from cordon.core import clock
from cordon.core.testing import messages_of
from cordon.keyworkers import selectors, services
from cordon.keyworkers.factories import KeyPersonFactory
from cordon.keyworkers.models import Passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(city, cast):
    cp = CheckpointFactory(region=city.a_street)
    kp = KeyPersonFactory(region=city.a_community)
    p = services.pass_issue(actor=cast.officer_a, keyperson=kp)
    return cp, kp, p


def test_api_recognises_a_valid_pass_and_holds_a_route_mismatch_and_an_expired_test(city, cast, api_client, held):
    cp, kp, p = held
    client = api_client(cast.officer_a)
    url = f"/api/v1/checkpoints/{cp.pk}/inspections"
    ok = client.post(url, {"subject": "vehicle", "kw_pass": services.pass_code(p), "destination": city.a_community.path},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert (body["result"], body["reason"], body["keyworker"], body["plate"]) == ("pass", "kw_ok", "driver", kp.plate)
    assert "闭环运输：不得下车，点对点" in body["conditions"]
    wrong_way = client.post(url, {"subject": "vehicle", "kw_pass": p.number, "destination": city.b_community.path},
                            content_type="application/json").json()
    assert (wrong_way["result"], wrong_way["reason"], wrong_way["conditions"]) == ("hold", "kw_route", [])
    assert wrong_way["reason_text"] == "不在通行证核定路线上"
    kp.last_negative_at = clock.now() - dt.timedelta(hours=50)
    kp.save()
    too_old = client.post(url, {"subject": "vehicle", "kw_pass": p.number}, content_type="application/json").json()
    assert (too_old["result"], too_old["reason"]) == ("hold", "kw_test")
    assert list(Passage.objects.order_by("id").values_list("result", "reason", "category")) == [
        ("pass", "kw_ok", "driver"), ("hold", "kw_route", "driver"), ("hold", "kw_test", "driver")]
    assert set(Passage.objects.values_list("inspection_id", flat=True)) == set(Inspection.objects.values_list("id", flat=True))


def test_the_checkpoint_page_pass_field_records_the_verdict_with_conditions(city, cast, api_client, held):
    cp, kp, p = held
    client = api_client(cast.officer_a)
    page = client.get(f"/checkpoints/{cp.pk}/")
    assert b'name="kw_pass"' in page.content
    answer = client.post(f"/checkpoints/{cp.pk}/", {"action": "kwpass", "kw_pass": services.pass_code(p), "subject": "vehicle",
                                                     "direction": "in", "plate": kp.plate, "destination": "苏州市"},
                         HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    text = messages_of(answer)
    assert "闭环运输：不得下车，点对点" in text and Inspection.objects.get().result == "pass"
    services.pass_set_status(actor=cast.officer_a, key_pass=p, action="suspend")
    answer = client.post(f"/checkpoints/{cp.pk}/", {"action": "kwpass", "kw_pass": p.number, "subject": "vehicle", "direction": "in"},
                         HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert "通行证已暂停" in messages_of(answer)
    assert Inspection.objects.order_by("-id").first().reason == "kw_suspended"


def test_flows_per_checkpoint_and_day_by_category_and_reason(city, cast, api_client, held):
    cp, kp, p = held
    worker = KeyPersonFactory(region=city.a_community, category="worker", plate="", role="水厂", shift="day", closed_loop=False,
                              origin_division="", origin_name="")
    wp = services.pass_issue(actor=cast.officer_a, keyperson=worker)
    client = api_client(cast.officer_a)
    url = f"/api/v1/checkpoints/{cp.pk}/inspections"
    for data in ({"subject": "vehicle", "kw_pass": p.number}, {"subject": "vehicle", "kw_pass": p.number, "destination": "310000"},
                 {"subject": "person", "kw_pass": wp.number}, {"subject": "person", "kw_pass": "KW-NOT-A-PASS"}):
        assert client.post(url, data, content_type="application/json").status_code == 201
    lines = selectors.flow_table(selectors.flows(actor=cast.officer_a))
    assert len(lines) == 1
    line = lines[0]
    assert (line["day"], line["checkpoint_name"]) == (clock.today(), cp.name)
    assert (line["driver_passed"], line["driver_held"], line["worker_passed"], line["worker_held"], line["unknown_held"]) == (1, 1, 1, 0, 1)
    assert line["reasons"] == {"kw_route": 1, "kw_invalid": 1}
    api = client.get("/api/v1/keyworkers/flows", {"category": "worker"}).json()
    assert api["count"] == 1 and api["items"][0]["result"] == "pass" and api["items"][0]["day"] == clock.today().isoformat()
    page = client.get("/keyworkers/flows/")
    assert page.status_code == 200 and cp.name in page.content.decode()
    assert client.get("/api/v1/keyworkers/flows").json()["count"] == 4
    assert api_client(cast.officer_b).get("/api/v1/keyworkers/flows").json()["count"] == 0


def test_another_district_gets_404_for_the_register_and_passes(city, cast, api_client, held):
    _cp, kp, p = held
    other = api_client(cast.officer_b)
    assert other.get(f"/api/v1/keyworkers/{kp.pk}").status_code == 404
    assert other.get(f"/api/v1/keyworkers/passes/{p.pk}").status_code == 404
    assert other.get(f"/keyworkers/{kp.pk}/").status_code == 404
    assert other.get("/api/v1/keyworkers/").json()["count"] == 0
    mine = api_client(cast.officer_a).get(f"/api/v1/keyworkers/{kp.pk}").json()
    assert mine["name"].endswith("*") and "*" in mine["id_number"] and mine["test_state"] == "ok"


def test_web_register_issue_and_print(city, cast, api_client):
    client = api_client(cast.officer_a)
    from cordon.core.ids import make_id_number

    answer = client.post("/keyworkers/", {"category": "driver", "name": "周师傅", "id_number": make_id_number("320505", dt.date(1979, 5, 2), 3, "M"),
                                          "phone": "13700000000", "employer": "医药物流", "region": city.a_community.path,
                                          "plate": "苏E D12345".replace(" ", ""), "origin": "320500", "destination": city.a_community.path,
                                          "cargo": "medical", "closed_loop": "on"})
    assert answer.status_code == 302, messages_of(answer)
    kp_url = answer["Location"]
    assert client.post(kp_url, {"action": "test", "sampled_at": clock.local(clock.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                                "outcome": "negative"}).status_code == 302
    issued = client.post(kp_url, {"action": "pass", "days": "7"})
    assert issued.status_code == 302 and "/keyworkers/passes/" in issued["Location"]
    card = client.get(issued["Location"])
    assert card.status_code == 200 and b"<svg" in card.content
    printed = client.get("/keyworkers/passes/print/", {"layout": "cards"})
    assert printed.status_code == 200 and printed.context["count"] == 1
    assert client.get("/keyworkers/due/").status_code == 200
