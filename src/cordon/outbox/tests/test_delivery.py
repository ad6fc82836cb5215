"""Delivery against a local HTTP server that records what arrives: the SMS gateway, WeCom and DingTalk robots,
e-mail through Django's locmem backend; retries with backoff, giving up, rate limits, crash safety."""

import datetime as dt
import hashlib
import hmac

import pytest
from django.core import mail

from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.outbox import services as outbox
from cordon.outbox.models import Channel, Message, MessageAttempt
from cordon.outbox.tests.recorder import Recorder

pytestmark = pytest.mark.django_db
TEST = "outbox/messages/test.txt"
NOTICE = "outbox/messages/notice.txt"


@pytest.fixture
def server():
    recorder = Recorder().start()
    yield recorder
    recorder.stop()


def _channel(code, backend, url="", **kw):
    return outbox.channel_save(actor=SYSTEM, code=code, name=code, backend=backend, url=url, **kw)


def _queue(channel="sms", to="13800001234", text="核酸检测提醒", **kw):
    return outbox.enqueue(actor=SYSTEM, kind="test.notice", channel=channel, to=to, template=NOTICE, context={"message": text}, **kw)


def test_the_sms_gateway_gets_a_signed_json_post_and_its_id_is_kept(server):
    server.answer("/sms", (200, {"code": 0, "id": "gw-778"}))
    _channel("sms", "sms_http", server.url("/sms"), secret="s3cret-gateway", sender="示范市防控办")
    m = _queue()
    assert outbox.send_due(now=clock.now())["sent"] == 1
    (req,) = server.requests
    assert req["json"] == {"id": f"cordon-outbox-{m.pk}", "to": "13800001234", "text": "核酸检测提醒", "sign": "示范市防控办",
                           "kind": "test.notice", "language": "zh-hans"}
    stamp = req["headers"]["X-Cordon-Timestamp"]
    expected = hmac.new(b"s3cret-gateway", stamp.encode() + b"\n" + req["raw"], hashlib.sha256).hexdigest()
    assert req["headers"]["X-Cordon-Signature"] == expected
    assert req["headers"]["Idempotency-Key"] == f"cordon-outbox-{m.pk}"
    m.refresh_from_db()
    assert (m.status, m.provider_id, m.attempts) == ("sent", "gw-778", 1) and m.sent_at is not None
    assert outbox.send_due(now=clock.now() + dt.timedelta(hours=1))["sent"] == 0 and len(server.requests) == 1


def test_a_gateway_error_is_retried_after_a_growing_wait_with_the_same_idempotency_key(server):
    server.answer("/sms", (503, {"message": "busy"}), (503, {"message": "busy"}), (200, {"code": 0, "id": "gw-1"}))
    _channel("sms", "sms_http", server.url("/sms"), backoff_seconds=60)
    m = _queue()
    t0 = clock.now()
    assert outbox.send_due(now=t0)["failed"] == 1
    m.refresh_from_db()
    assert m.status == "failed" and m.next_attempt_at == t0 + dt.timedelta(seconds=60) and "HTTP 503" in m.last_error
    assert outbox.send_due(now=t0 + dt.timedelta(seconds=59))["failed"] == 0  # not due yet
    assert outbox.send_due(now=t0 + dt.timedelta(seconds=60))["failed"] == 1
    m.refresh_from_db()
    assert m.next_attempt_at == t0 + dt.timedelta(seconds=60 + 120)  # doubled
    assert outbox.send_due(now=t0 + dt.timedelta(seconds=180))["sent"] == 1
    assert {r["headers"]["Idempotency-Key"] for r in server.requests} == {f"cordon-outbox-{m.pk}"}
    assert list(MessageAttempt.objects.filter(message=m).values_list("outcome", flat=True)) == ["error", "error", "ok"]


def test_a_request_the_gateway_refuses_as_malformed_is_given_up_at_once(server):
    server.answer("/sms", (400, {"message": "bad phone"}))
    _channel("sms", "sms_http", server.url("/sms"))
    m = _queue()
    assert outbox.send_due(now=clock.now())["dead"] == 1
    m.refresh_from_db()
    assert m.status == "dead" and m.next_attempt_at is None


def test_the_wecom_robot_gets_its_documented_text_and_markdown_json(server):
    _channel("wecom", "wecom", server.url("/cgi-bin/webhook/send?key=abc-123"))
    _queue(channel="wecom", to="all,13800001234", text="今日新增 3 例")
    outbox.send_due(now=clock.now())
    assert server.requests[0]["query"] == {"key": "abc-123"}
    assert server.requests[0]["json"] == {"msgtype": "text", "text": {"content": "今日新增 3 例",
                                                                     "mentioned_mobile_list": ["13800001234", "@all"]}}
    Channel.objects.filter(code="wecom").update(message_format="markdown")
    _queue(channel="wecom", to="all", text="**日报**")
    outbox.send_due(now=clock.now())
    assert server.requests[1]["json"] == {"msgtype": "markdown", "markdown": {"content": "**日报**"}}


def test_a_signed_dingtalk_robot_accepts_the_signature_and_a_wrong_secret_is_retried(server):
    server.dingtalk_secret = "SECabc"
    _channel("dingtalk", "dingtalk", server.url("/robot/send?access_token=tok"), secret="SECabc")
    m = _queue(channel="dingtalk", to="13800001234", text="请今日 18 时前完成排查")
    assert outbox.send_due(now=clock.now())["sent"] == 1
    req = server.requests[0]
    assert req["query"]["access_token"] == "tok" and req["query"]["sign"]
    assert req["json"] == {"msgtype": "text", "text": {"content": "请今日 18 时前完成排查"},
                           "at": {"atMobiles": ["13800001234"], "isAtAll": False}}
    m.refresh_from_db()
    assert m.status == "sent"
    outbox.channel_save(actor=SYSTEM, channel=Channel.objects.get(code="dingtalk"), code="dingtalk", name="钉钉", backend="dingtalk",
                        url=server.url("/robot/send?access_token=tok"), secret="SECwrong")
    bad = _queue(channel="dingtalk", to="all", text="第二条")
    assert outbox.send_due(now=clock.now())["failed"] == 1
    bad.refresh_from_db()
    assert bad.status == "failed" and "310000" in bad.last_error and "sign not match" in bad.last_error


def test_an_errcode_other_than_zero_is_retried_until_the_channel_gives_up(server):
    server.answer("/cgi-bin/webhook/send", (200, {"errcode": 45009, "errmsg": "api freq out of limit"}))
    _channel("wecom", "wecom", server.url("/cgi-bin/webhook/send?key=k"), max_attempts=3, backoff_seconds=10)
    m = _queue(channel="wecom", to="all")
    t = clock.now()
    for wait in (0, 10, 20):
        t += dt.timedelta(seconds=wait)
        outbox.send_due(now=t)
    m.refresh_from_db()
    assert (m.status, m.attempts, len(server.requests)) == ("dead", 3, 3)
    assert "45009" in m.last_error
    outbox.send_due(now=t + dt.timedelta(days=1))
    assert len(server.requests) == 3


def test_a_channel_sends_no_more_than_its_rate_per_minute(server):
    _channel("sms", "sms_http", server.url("/sms"), rate_per_minute=2)
    for i in range(5):
        _queue(to=f"1380000000{i}")
    t = clock.now()
    first = outbox.send_due(now=t)
    assert (first["sent"], first["rate_limited"]) == (2, 3)
    assert outbox.send_due(now=t + dt.timedelta(seconds=30))["sent"] == 0
    assert outbox.send_due(now=t + dt.timedelta(seconds=61))["sent"] == 2
    assert outbox.send_due(now=t + dt.timedelta(seconds=122))["sent"] == 1
    assert len(server.requests) == 5


def test_email_goes_through_djangos_mail_backend_with_the_subject_in_the_readers_language():
    # the test environment's mail backend is locmem: what was sent is in mail.outbox
    _channel("email", "email", sender="cordon@example.org")
    zh = outbox.enqueue(actor=SYSTEM, kind="outbox.test", channel="email", to="duty@example.org", template=TEST,
                        context={"channel": "邮件", "at": "08:00"})
    en = outbox.enqueue(actor=SYSTEM, kind="outbox.test", channel="email", to="who@example.org", template=TEST,
                        context={"channel": "mail", "at": "08:00"}, language="en")
    assert outbox.send_due(now=clock.now())["sent"] == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["duty@example.org"].subject == "cordon 测试消息：邮件" and "通道工作正常" in by_to["duty@example.org"].body
    assert by_to["who@example.org"].subject == "cordon test message: mail" and "the channel works" in by_to["who@example.org"].body
    assert by_to["who@example.org"].from_email == "cordon@example.org"
    en.refresh_from_db()
    zh.refresh_from_db()
    assert en.provider_id == by_to["who@example.org"].extra_headers["Message-ID"] and zh.status == "sent"


def test_the_log_channel_works_without_configuration_and_a_disabled_channel_keeps_its_messages(server):
    logged = _queue(channel="log", to="-")
    _channel("sms", "sms_http", server.url("/sms"), enabled=False)
    waiting = _queue()
    counts = outbox.send_due(now=clock.now())
    assert (counts["sent"], counts["waiting"]) == (1, 1)
    logged.refresh_from_db()
    waiting.refresh_from_db()
    assert logged.status == "sent" and waiting.status == "queued" and not server.requests


def test_a_claim_left_by_a_sender_that_stopped_is_retried_after_the_lease_and_a_sent_message_never_again(server):
    _channel("sms", "sms_http", server.url("/sms"))
    m = _queue()
    t = clock.now()
    ((claimed, _attempt),) = outbox._claim("sms", 10, t)  # the sender took it, then died before sending
    assert claimed.status == "sending"
    assert outbox.send_due(now=t + dt.timedelta(minutes=5))["sent"] == 0 and not server.requests  # still someone's
    counts = outbox.send_due(now=t + outbox.LEASE + dt.timedelta(seconds=1))
    assert counts["reclaimed"] == 1
    outbox.send_due(now=t + outbox.LEASE + dt.timedelta(seconds=1) + dt.timedelta(seconds=60))
    m.refresh_from_db()
    assert m.status == "sent" and len(server.requests) == 1
    assert list(MessageAttempt.objects.filter(message=m).values_list("outcome", flat=True)) == ["interrupted", "ok"]
    # another sender's stale view of the claim cannot overwrite what was committed
    assert Message.objects.filter(pk=m.pk, status="sending").count() == 0


def test_a_message_can_be_cancelled_before_it_goes_and_retried_after_giving_up(server):
    server.answer("/sms", (400, {"message": "no"}), (200, {"code": 0, "id": "x"}))
    _channel("sms", "sms_http", server.url("/sms"))
    cancelled = _queue(to="13800000001")
    outbox.message_cancel(actor=SYSTEM, message=cancelled)
    dead = _queue(to="13800000002")
    outbox.send_due(now=clock.now())
    dead.refresh_from_db()
    assert dead.status == "dead" and len(server.requests) == 1
    outbox.message_retry(actor=SYSTEM, message=dead)
    outbox.send_due(now=clock.now())
    dead.refresh_from_db()
    cancelled.refresh_from_db()
    assert dead.status == "sent" and cancelled.status == "cancelled" and len(server.requests) == 2
