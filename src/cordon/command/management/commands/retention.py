from django.core.management.base import BaseCommand

from cordon.command import events
from cordon.core import access


class Command(BaseCommand):
    help = ("Pseudonymise personal data kept outside the resident registry past the retention period "
            "(CORDON_RETENTION_DAYS): village returnees, compound passes, closed-loop staff. --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        # community (returnees, passes) and livelihood (closed-loop staff) subscribe: each returns its counts
        counts: dict = {}
        for result in events.RETENTION_DUE.emit(actor=access.system("cli"), days=opts["days"], dry_run=opts["dry_run"], today=None):
            counts.update(result)
        verb = "would pseudonymise" if opts["dry_run"] else "pseudonymised"
        self.stdout.write(f"{verb} {counts['returnees']} returnees, {counts['passes']} compound passes and {counts['staff']} "
                          f"closed-loop staff (retention {counts['days']} days)")
