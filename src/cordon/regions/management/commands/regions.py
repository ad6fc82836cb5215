import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import access, cli
from cordon.regions import services


class Command(BaseCommand):
    help = ("Official division codes: `regions import FILE... [--city 1504] [--user NAME]` loads provinces/cities/areas/"
            "streets/villages CSV or Excel files (all rows or none; again changes nothing; renamed and abolished codes "
            "kept as history); `regions grids [--per-community N] [--under PATH]` adds grids under communities. "
            "Each prints one JSON line of what it did.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "grids"])
        parser.add_argument("files", nargs="*")
        parser.add_argument("--city", help="the 4-digit code of the city to load from a province-wide file")
        parser.add_argument("--per-community", type=int, default=1)
        parser.add_argument("--under", help="only communities inside this region path")
        parser.add_argument("--user", help="the account the change is made (and audited) as; default: the system")

    def handle(self, *args, **opts):
        actor = cli.acting_user(opts["user"], default=access.system("regions.cli"))
        with cli.refusal_by_row(self.stderr):
            if opts["action"] == "import":
                report = services.regions_import(actor=actor, files=self._files(opts["files"]), city=opts["city"])
            else:
                report = services.grids_add(actor=actor, per_community=opts["per_community"], under=opts["under"])
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    @staticmethod
    def _files(names: list[str]) -> list[tuple[str, bytes]]:
        if not names:
            raise CommandError(_("give one or more files (provinces.csv cities.csv areas.csv streets.csv villages.csv)"))
        return [(path.name, path.read_bytes()) for path in map(cli.input_file, names)]
