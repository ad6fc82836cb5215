"""`cordon scheduler`: queue the periodic jobs (each app's PERIODIC in jobs.py) when due, beside the task worker;
`--list` shows them, `--run NAME` runs one now (`--enqueue`: puts it on the queue for the worker instead)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import schedule
from cordon.core.models import ScheduledRun


def short(name: str) -> str:
    """cordon.livelihood.jobs.escalate_overdue -> livelihood.escalate_overdue"""
    return ".".join(name.split(".")[1::2])


class Command(BaseCommand):
    help = "Queue periodic jobs when due (escalations, snapshots, sweeps, Rt); runs beside the task worker."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=20)
        parser.add_argument("--list", action="store_true", help="list the periodic jobs, their interval and last run")
        parser.add_argument("--run", metavar="NAME", help="run one job now, e.g. command.escalate_overdue")
        parser.add_argument("--enqueue", action="store_true", help="with --run: queue it for the worker instead")

    def handle(self, *args, **opts):
        if opts["list"]:
            last = dict(ScheduledRun.objects.values_list("name", "last_enqueued_at"))
            for job in schedule.periodic():
                when = last.get(job.name)
                self.stdout.write(f"{short(job.name):40} every {job.every:>6} s  last {when:%Y-%m-%d %H:%M:%S}" if when
                                  else f"{short(job.name):40} every {job.every:>6} s  never")
            return
        if opts["run"]:
            return self._run(opts["run"], enqueue=opts["enqueue"])
        while True:
            queued = schedule.due()
            if queued:
                self.stdout.write("queued: " + ", ".join(short(q) for q in queued))
            if opts["once"]:
                return
            time.sleep(opts["interval"])

    def _run(self, name: str, *, enqueue: bool) -> None:
        jobs = {short(j.name): j for j in schedule.periodic()}
        job = jobs.get(name) or next((j for j in jobs.values() if j.name == name), None)
        if job is None:
            raise CommandError(_("no periodic job %(name)r; known: %(choices)s") % {"name": name, "choices": ', '.join(sorted(jobs))})
        if enqueue:
            self.stdout.write(f"queued {short(job.name)}: {job.task.enqueue().id}")
        else:
            self.stdout.write(f"{short(job.name)}: {job.task.call()}")
