from django.core.management.base import BaseCommand

from cordon.community import services as community_services
from cordon.core import access
from cordon.livelihood import services as livelihood_services


class Command(BaseCommand):
    help = ("Pseudonymise personal data kept outside the resident registry past the retention period "
            "(CORDON_RETENTION_DAYS): village returnees, compound passes, closed-loop staff. --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        actor = access.system("cli")
        a = community_services.retention_run(actor=actor, days=opts["days"], dry_run=opts["dry_run"])
        b = livelihood_services.retention_run(actor=actor, days=opts["days"], dry_run=opts["dry_run"])
        verb = "would pseudonymise" if opts["dry_run"] else "pseudonymised"
        self.stdout.write(f"{verb} {a['returnees']} returnees, {a['passes']} compound passes and {b['staff']} "
                          f"closed-loop staff (retention {a['days']} days)")
