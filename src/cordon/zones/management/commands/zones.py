"""`cordon zones import-national FILE [--user NAME]` and `cordon zones export-national`."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.zones import selectors, services


class Command(BaseCommand):
    help = ("The national risk-area list: `zones import-national FILE [--user NAME]` imports a snapshot (the 卫健委 "
            "query's JSON) as external risk areas, idempotently, and ends with one JSON line: the communities the file "
            "lists per level (high, middle, low) and what was added, removed and left unchanged; "
            "`zones export-national` prints cordon's own risk areas as that JSON document.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-national", help="import a snapshot of the national risk-area list (JSON)")
        imp.add_argument("file")
        imp.add_argument("--user", default="", help="the account the import is made (and audited) as (default: system)")
        sub.add_parser("export-national", help="print cordon's own risk areas as the national list's JSON document")

    def handle(self, *args, **opts):
        if opts["action"] == "export-national":
            self.stdout.write(json.dumps(selectors.national_document(), ensure_ascii=False))
            return
        user = access.system("cli")
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("--user: no active user %(name)r") % {"name": opts["user"]})
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("file: %(path)s does not exist") % {"path": path})
        try:
            report = services.national_import(actor=user, data=path.read_bytes(), source=path.name)
        except ServiceError as exc:
            for f in exc.fields[:50]:
                self.stderr.write(f"  {f.get('field')}: {f.get('message')}")
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(report, ensure_ascii=False))
