from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Export residents to Excel as a user (masked unless --unmask and permitted; audited)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["people"])
        parser.add_argument("file")
        parser.add_argument("--user", required=True)
        parser.add_argument("--grid", default=None, help="region path prefix")
        parser.add_argument("--unmask", action="store_true")

    def handle(self, *args, **opts):
        from cordon.people import services

        user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {opts['user']!r}")
        data = services.people_export(actor=user, unmask=opts["unmask"], grid_path=opts["grid"])
        Path(opts["file"]).write_bytes(data)
        self.stdout.write(f"wrote {len(data):,} bytes to {opts['file']}")
