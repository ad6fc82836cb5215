from django.core.management.base import BaseCommand

from cordon.command import jobs, services


class Command(BaseCommand):
    help = "Escalate overdue tasks to the superior post and send reminders (run from cron, or enqueue command.jobs.escalate_overdue)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the worker instead of running it here")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = jobs.escalate_overdue.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        out = services.tasks_escalate_overdue()
        self.stdout.write(f"escalated {out['escalated']}, at the top already {out['at_top']}, reminded {out['reminded']}")
