import time

from django.core.management.base import BaseCommand

from cordon.core import schedule


class Command(BaseCommand):
    help = "Queue periodic jobs when due (escalations, snapshots, sweeps, Rt); runs beside the task worker."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=20)

    def handle(self, *args, **opts):
        while True:
            queued = schedule.due()
            if queued:
                self.stdout.write("queued: " + ", ".join(q.rsplit(".", 2)[-2] + "." + q.rsplit(".", 1)[1] for q in queued))
            if opts["once"]:
                return
            time.sleep(opts["interval"])
