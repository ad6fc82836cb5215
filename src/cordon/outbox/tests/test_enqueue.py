"""enqueue: address checks per channel, rendering in the recipient's language, idempotency, the notifier."""

import pytest

from cordon.core import notify
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.outbox import services as outbox
from cordon.outbox.models import Message

pytestmark = pytest.mark.django_db

TEST = "outbox/messages/test.txt"


def _enqueue(**kw):
    args = {"actor": SYSTEM, "kind": "outbox.test", "channel": "sms", "to": "13800001234", "template": TEST,
            "context": {"channel": "短信", "at": "2027-01-01 08:00"}}
    args.update(kw)
    return outbox.enqueue(**args)


def test_a_message_is_rendered_in_chinese_by_default_and_queued_masked_and_audited():
    m = _enqueue()
    assert m.status == "queued" and m.next_attempt_at is not None
    assert "测试消息" in m.body and m.language == "zh-hans"
    assert m.recipient == "13800001234" and m.recipient_masked == "138****1234"
    assert AuditEntry.objects.filter(action="outbox.enqueue", object_id=str(m.pk)).exists()
    assert "13800001234" not in str(AuditEntry.objects.get(action="outbox.enqueue").changes)


def test_a_message_for_an_english_reader_is_rendered_in_english_with_its_subject():
    m = _enqueue(language="en", channel="email", to="duty@example.org")
    assert m.body.startswith("[cordon] Test message from channel 短信")
    assert m.subject == "cordon test message: 短信"


def test_the_same_dedupe_key_returns_the_queued_message_and_writes_nothing_new():
    first = _enqueue(dedupe_key="reminder:1:2027-01-01")
    again = _enqueue(dedupe_key="reminder:1:2027-01-01", to="13900000000")
    assert again.pk == first.pk and Message.objects.count() == 1
    assert AuditEntry.objects.filter(action="outbox.enqueue").count() == 1


@pytest.mark.parametrize(("channel", "to"), [("sms", "12345"), ("sms", ""), ("email", "not-an-address"),
                                             ("wecom", "somebody"), ("dingtalk", "")])
def test_an_address_that_does_not_fit_the_channel_is_refused_on_the_field_to(channel, to):
    with pytest.raises(ServiceError) as exc:
        _enqueue(channel=channel, to=to)
    assert exc.value.fields[0]["field"] == "to"
    assert not Message.objects.exists()


def test_phone_numbers_are_normalised_and_robots_take_all_or_mobiles_to_mention():
    assert _enqueue(to="+86 138-0000-1234").recipient == "13800001234"
    assert _enqueue(channel="wecom", to="all, 13800001234").recipient == "all,13800001234"
    assert _enqueue(channel="dingtalk", to="@all").recipient == "all"


def test_an_unknown_channel_template_or_language_is_refused_naming_the_field():
    for kw, field in (({"channel": "fax"}, "channel"), ({"template": "outbox/messages/nope.txt"}, "template"),
                      ({"language": "fr"}, "language")):
        with pytest.raises(ServiceError) as exc:
            _enqueue(**kw)
        assert exc.value.fields[0]["field"] == field


def test_the_notifier_queues_an_sms_and_a_notice_without_a_mobile_goes_to_the_log_channel(settings):
    settings.CORDON_NOTIFIER = "cordon.outbox.notifier.OutboxNotifier"
    notify.Notifier.sent.clear()
    notify.notifier().send(phone="13900000001", message="您的活动已准予举办 <审批>", kind="gathering.approved")
    notify.notifier().send(phone="", message="无号码的提醒", kind="command.reminder")
    sms, logged = Message.objects.order_by("id")
    assert (sms.channel, sms.kind, sms.body) == ("sms", "gathering.approved", "您的活动已准予举办 <审批>")
    assert (logged.channel, logged.recipient) == ("log", "-")
    assert [m["phone"] for m in notify.LogNotifier.sent] == ["13900000001", ""]
