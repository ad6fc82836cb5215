import json

from django.core.management.base import BaseCommand, CommandError

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.outbox import services


class Command(BaseCommand):
    help = ("The notification outbox. `cordon outbox send` delivers the due messages now (what the scheduler's job does "
            "every minute); `cordon outbox test CHANNEL TO` queues a test message and sends it with the due ones.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send")
        send.add_argument("--limit", type=int, default=1000)
        test = sub.add_parser("test")
        test.add_argument("channel")
        test.add_argument("to")
        test.add_argument("--language", default="zh-hans")

    def handle(self, *args, **opts):
        if opts["action"] == "test":
            try:
                m = services.channel_test(actor=access.system("cli"), code=opts["channel"], to=opts["to"], language=opts["language"])
            except ServiceError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"queued message #{m.pk}")
        counts = services.send_due(limit=opts.get("limit") or 1000)
        self.stdout.write(json.dumps(counts))
