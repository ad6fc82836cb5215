"""core.notify's interface on the outbox: `notifier().send(phone=, message=, kind=)` queues an already-written
message on the "sms" channel (template outbox/messages/notice.txt prints it as it is). A blank or non-mobile
phone goes to the "log" channel instead, so the notice is still on record and nobody's flow breaks."""

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.core.notify import Notifier
from cordon.outbox import rules, services
from cordon.outbox.enums import ChannelCode


class OutboxNotifier(Notifier):
    template = "outbox/messages/notice.txt"

    def send(self, *, phone: str, message: str, kind: str = "info", region_path: str = "") -> None:
        self.remember(phone=phone, message=message, kind=kind)
        channel = ChannelCode.SMS if rules.normal_mobile(phone or "") else ChannelCode.LOG
        try:
            services.enqueue(actor=access.system("notify"), kind=kind or "info", channel=channel, to=phone or "-",
                             template=self.template, context={"message": message}, region_path=region_path)
        except ServiceError:
            # Only an empty message gets here (the address was chosen to fit): nothing to send.
            if (message or "").strip():
                raise
