"""`cordon zones import-national FILE [--user NAME]` and `cordon zones export-national`."""

import json

from django.core.management.base import BaseCommand

from cordon.core import access, cli
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
        user = cli.acting_user(opts["user"], default=access.system("cli"))
        path = cli.input_file(opts["file"])
        with cli.refusal_by_row(self.stderr):
            report = services.national_import(actor=user, data=path.read_bytes(), source=path.name)
        self.stdout.write(json.dumps(report, ensure_ascii=False))
