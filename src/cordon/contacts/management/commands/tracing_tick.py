"""`cordon tracing_tick`: run the SLA check and the measure-plan advance once (cron or the task worker)."""

from django.core.management.base import BaseCommand

from cordon.cases import services as case_services
from cordon.contacts import services
from cordon.core import access


class Command(BaseCommand):
    help = "File overdue tracing tasks and advance measure plans (release where criteria are met)."

    def handle(self, *args, **opts):
        filed = case_services.check_overdue(actor=access.system("cli"))
        counts = services.measures_advance(actor=access.system("cli"))
        self.stdout.write(f"overdue cases with tasks: {filed}; measures: {counts}\n")
