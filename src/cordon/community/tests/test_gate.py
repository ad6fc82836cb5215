"""The gate's offline queue through the API: a batch is stored once per Idempotency-Key, a refused row is named by its
row with nothing written, a resident is found by the token in their health code, and passes print with QR codes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cordon.community import services
from cordon.community.models import EntranceLog
from cordon.core import clock
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db
URL = "/api/v1/community/passages/bulk"


@pytest.fixture
def gate(city, cast):
    homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=1)
    b = homes.buildings[0]
    homes.passes = [services.pass_issue(actor=cast.officer_a, community_id=b.community_id, compound="幸福小区", holder_name="王五",
                                        holder_phone="13900000000", role="delivery") for _ in range(2)]
    homes.row = lambda **kw: {"community_id": b.community_id, "compound": "幸福小区", "direction": "in", **kw}
    return homes


def _send(client, items, key):
    return client.post(URL, {"items": items}, content_type="application/json", headers={"Idempotency-Key": key})


def test_a_batch_sent_twice_with_its_key_is_stored_once(cast, api_client, gate):
    client = api_client(cast.officer_a)
    at = clock.earlier_today(2).isoformat()  # on the pass's first day, at 00:30 city time too
    items = [gate.row(pass_code=p.code, at=at) for p in gate.passes] + [gate.row(person_token=gate.people[0].token, direction="out")]
    first, again = _send(client, items, "k-1"), _send(client, items, "k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["stored"] == 3 and again.json()["replayed"] is True
    assert EntranceLog.objects.count() == 3
    assert EntranceLog.objects.get(person=gate.people[0]).direction == "out"
    assert EntranceLog.objects.filter(entrance_pass=gate.passes[0]).get().at == dt.datetime.fromisoformat(at)


def test_a_refused_row_is_named_and_nothing_is_written(cast, api_client, gate):
    client = api_client(cast.officer_a)
    answer = _send(client, [gate.row(pass_code=gate.passes[0].code), gate.row(person_token="no-such-token")], "k-2")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == [{"field": "person_token", "message": "没有与此码对应的居民", "row": 2}]
    answer = _send(client, [gate.row(pass_code=gate.passes[0].code), gate.row(pass_code="NOPE")], "k-3")
    assert answer.status_code == 400 and answer.json()["error"]["fields"][0]["row"] == 2
    assert EntranceLog.objects.count() == 0


def test_a_time_from_the_far_past_is_refused(cast, api_client, gate):
    old = (clock.now() - dt.timedelta(days=5)).isoformat()
    answer = _send(api_client(cast.officer_a), [gate.row(pass_code=gate.passes[0].code, at=old)], "k-4")
    assert answer.status_code == 400 and answer.json()["error"]["fields"][0]["field"] == "at"


def test_the_gate_page_carries_the_public_keys_and_the_passes_print_with_qr_codes(cast, api_client, gate, credential_keys):
    client = api_client(cast.officer_a)
    page = client.get("/community/gate/").content.decode()
    assert 'id="gate-keys"' in page and "幸福小区" in page and "data-scan-camera" in page
    sheet = client.get("/community/passes/print/").content.decode()
    assert sheet.count('class="qr-label"') == 2 and all(p.code in sheet for p in gate.passes)
    assert "王五" not in sheet  # the holder's name is masked


def test_a_pass_issued_and_used_at_half_past_midnight_city_time_is_valid(city, cast, api_client):
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=1)
        b = homes.buildings[0]
        p = services.pass_issue(actor=cast.officer_a, community_id=b.community_id, compound="幸福小区", holder_name="王五",
                                holder_phone="13900000000", role="delivery")
        answer = _send(api_client(cast.officer_a), [{"community_id": b.community_id, "compound": "幸福小区", "direction": "in",
                                                      "pass_code": p.code}], "k-night")
        assert answer.status_code == 201 and p.valid_from == dt.date(2027, 1, 1)
        assert clock.local(EntranceLog.objects.get().at).date() == dt.date(2027, 1, 1)
