from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import cli
from cordon.core.errors import ServiceError
from cordon.people import services


class Command(BaseCommand):
    help = "Export residents to Excel as a user (masked unless --unmask and permitted; audited)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["people"])
        parser.add_argument("file")
        parser.add_argument("--user", required=True)
        parser.add_argument("--grid", default=None, help="region path prefix")
        parser.add_argument("--unmask", action="store_true")

    def handle(self, *args, **opts):
        user = cli.acting_user(opts["user"])
        fmt = "csv" if opts["file"].lower().endswith(".csv") else "xlsx"
        try:
            result = services.people_export(actor=user, unmask=opts["unmask"], fmt=fmt, grid_path=opts["grid"])
        except PermissionDenied as exc:
            raise CommandError(_("--user %(user)r may not export: %(exc)s") % {"user": opts['user'], "exc": exc}) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        Path(opts["file"]).write_bytes(result.content)
        self.stdout.write(f"wrote {result.rows:,} rows ({len(result.content):,} bytes) to {opts['file']}")
