"""Test data of the outbox: a queued message in an area, a channel."""

from cordon.core.testing import SYSTEM
from cordon.outbox import services


def message_in(region, *, to: str = "13800001234", status: str = "", channel: str = "sms"):
    """A message queued for a recipient in `region` (status forced when given)."""
    m = services.enqueue(actor=SYSTEM, kind="test.notice", channel=channel, to=to, template="outbox/messages/notice.txt",
                         context={"message": "请按时完成核酸检测"}, region_path=region.path)
    if status:
        m.status = status
        m.save(update_fields=["status"])
    return m


def channel(code: str = "sms", **kw):
    """A configured channel (the log backend unless told)."""
    args = {"code": code, "name": code, "backend": "log"}
    args.update(kw)
    return services.channel_save(actor=SYSTEM, **args)
