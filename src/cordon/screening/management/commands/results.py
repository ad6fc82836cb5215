"""`cordon results parse FILE...`: what cordon reads in lab result files (HL7 v2 ORU^R01, ELR), without writing.

One JSON line per SARS-CoV-2 observation (message, message_id, specimen_id, loinc, method, result, status, and ct
when present), then a summary line whose `problems` name message, segment, field and value of everything that
could not be read (also written to standard error, one line each). Importing (web page, API, services.results_import_hl7) reads with the same parser."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.screening import services


class Command(BaseCommand):
    help = "Lab results: `parse FILE...` prints what each HL7 v2 ORU^R01 file holds (JSON lines), writing nothing."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["parse"])
        parser.add_argument("files", nargs="+", help="HL7 files ('-' reads standard input)")

    def handle(self, *args, **opts):
        for name in opts["files"]:
            if name == "-":
                data = sys.stdin.buffer.read()
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(_("no such file: %(name)s") % {"name": name})
                data = path.read_bytes()
            reading = services.hl7_read(data)
            for obs in reading.observations:
                self.stdout.write(json.dumps(obs.line(), ensure_ascii=False))
            problems = [{"message": i, "message_id": "", "segment": "MSH", "field": "MSH-9", "value": "", "problem": reason}
                        for i, reason in sorted(reading.rejected.items())] + reading.errors
            for p in problems:
                self.stderr.write(json.dumps(p, ensure_ascii=False))
            summary = {**reading.summary(), "problems": problems}
            if len(opts["files"]) > 1:
                summary["file"] = name
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
