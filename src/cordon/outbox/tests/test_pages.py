"""The outbox through its pages and API: masked lists with filters and search, unmasking audited, retry and
cancel, channel settings whose secret never comes back, a test message sent by the next run."""

import pytest

from cordon.core.models import AuditEntry
from cordon.outbox.models import Channel, Message
from cordon.outbox.tests.factories import channel, message_in

pytestmark = pytest.mark.django_db


def test_the_list_shows_recipients_masked_and_finds_them_by_their_last_digits(city, cast, api_client):
    message_in(city.a_grid, to="13812345678")
    message_in(city.a_grid, to="13900000000", channel="sms", status="dead")
    client = api_client(cast.officer_a)
    page = client.get("/outbox/?q=5678")
    assert page.status_code == 200
    text = page.content.decode()
    assert "138****5678" in text and "13812345678" not in text and "139****0000" not in text
    rows = client.get("/api/v1/outbox/messages?status=dead").json()
    assert rows["count"] == 1 and rows["items"][0]["recipient"] == "139****0000"
    assert client.get("/api/v1/outbox/messages?status=nonsense").status_code == 400


def test_another_districts_officer_sees_none_of_district_a_messages(city, cast, api_client):
    message_in(city.a_grid)
    assert api_client(cast.officer_b).get("/api/v1/outbox/messages").json()["count"] == 0


def test_unmasking_the_recipient_needs_the_grant_and_is_audited(city, cast, api_client):
    m = message_in(city.a_grid, to="13812345678")
    assert api_client(cast.viewer_a).get(f"/api/v1/outbox/messages/{m.pk}?unmask=true").json()["recipient"] == "138****5678"
    assert not AuditEntry.objects.filter(action="outbox.message.unmask").exists()
    detail = api_client(cast.officer_a).get(f"/api/v1/outbox/messages/{m.pk}?unmask=true").json()
    assert detail["recipient"] == "13812345678" and detail["body"] == "请按时完成核酸检测"
    assert AuditEntry.objects.filter(action="outbox.message.unmask", object_id=str(m.pk)).count() == 1
    page = api_client(cast.officer_a).get(f"/outbox/{m.pk}/?unmask=1").content.decode()
    assert "13812345678" in page


def test_an_officer_retries_a_dead_message_and_cancels_a_queued_one_on_the_page(city, cast, api_client):
    dead = message_in(city.a_grid, status="dead")
    queued = message_in(city.a_grid, to="13800000009")
    client = api_client(cast.officer_a)
    assert client.post(f"/outbox/{dead.pk}/", {"action": "retry"}).status_code == 302
    assert client.post(f"/outbox/{queued.pk}/", {"action": "cancel"}).status_code == 302
    dead.refresh_from_db()
    queued.refresh_from_db()
    assert (dead.status, queued.status) == ("queued", "cancelled")
    refused = client.post(f"/api/v1/outbox/messages/{queued.pk}/cancel")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_status"


def test_the_commander_configures_a_channel_and_its_secret_never_comes_back(city, cast, api_client):
    client = api_client(cast.commander)
    made = client.put("/api/v1/outbox/channels/dingtalk", {"name": "区指挥部钉钉群", "backend": "dingtalk",
                                                   "url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456",
                                                   "secret": "SEC0123456789abcdef", "enabled": False}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert body["secret"] == "****cdef" and body["url"] == "https://oapi.dingtalk.com/robot/send?access_token=****"
    assert "SEC0123456789abcdef" not in str(client.get("/api/v1/outbox/channels").json())
    kept = client.put("/api/v1/outbox/channels/dingtalk", {"name": "区指挥部钉钉群", "backend": "dingtalk", "url": body["url"],
                                                           "rate_per_minute": 20}, content_type="application/json")
    assert kept.status_code == 200 and kept.json()["rate_per_minute"] == 20
    assert Channel.objects.get(code="dingtalk").secret == "SEC0123456789abcdef"
    assert "SEC0123456789abcdef" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    page = client.get("/outbox/channels/dingtalk/").content.decode()
    assert "SEC0123456789abcdef" not in page and "abcdef123456" not in page
    # the edit form sends the masked URL back unchanged: the stored webhook stays
    client.post("/outbox/channels/dingtalk/", {"action": "save", "name": "钉钉群", "backend": "dingtalk",
                                                   "url": body["url"], "message_format": "text", "rate_per_minute": 30,
                                                   "max_attempts": 5, "backoff_seconds": 60})
    saved = Channel.objects.get(code="dingtalk")
    assert (saved.url, saved.name, saved.enabled) == ("https://oapi.dingtalk.com/robot/send?access_token=abcdef123456", "钉钉群", False)


def test_a_channel_without_an_http_url_is_refused_naming_the_field_in_chinese(city, cast, api_client):
    answer = api_client(cast.commander).post("/outbox/channels/wecom/", {"name": "群", "backend": "wecom", "url": "file:///etc/passwd",
                                                                  "message_format": "text", "rate_per_minute": 20, "max_attempts": 5,
                                                                  "backoff_seconds": 60}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 200 and "地址" in answer.content.decode()
    assert not Channel.objects.exists()


def test_a_test_message_from_the_channel_page_is_queued_and_sent_by_the_next_run(city, cast, api_client):
    channel("log")
    client = api_client(cast.commander)
    answer = client.post("/outbox/channels/log/", {"action": "test", "to": "值班室", "language": "en"})
    m = Message.objects.get(kind="outbox.test")
    assert answer.status_code == 302 and answer["Location"] == f"/outbox/{m.pk}/"
    assert m.body.startswith("[cordon] Test message from channel log")
    assert client.post("/api/v1/outbox/send").json()["sent"] == 1
    m.refresh_from_db()
    assert m.status == "sent" and m.provider_id == f"log-{m.pk}"
