from django.core.management.base import BaseCommand

from cordon.community import services
from cordon.core import access


class Command(BaseCommand):
    help = ("Pseudonymise returnees and compound passes past the retention period (CORDON_RETENTION_DAYS); "
            "--dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        out = services.retention_run(actor=access.system("cli"), days=opts["days"], dry_run=opts["dry_run"])
        verb = "would pseudonymise" if out["dry_run"] else "pseudonymised"
        self.stdout.write(f"{verb} {out['returnees']} returnees and {out['passes']} compound passes "
                          f"(retention {out['days']} days)")
