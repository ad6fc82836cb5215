from django.core.management.base import BaseCommand

from cordon.livelihood import jobs


class Command(BaseCommand):
    help = "Escalate emergency medical requests whose acknowledge or dispatch deadline has passed."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the worker instead of running it here")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = jobs.escalate_overdue.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        steps = jobs.escalate_overdue.call()
        self.stdout.write(f"escalation steps taken: {steps}")
