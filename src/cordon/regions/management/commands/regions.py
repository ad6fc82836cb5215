import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.errors import ServiceError
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
        actor = access.system("regions.cli")
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("--user: no active user %(user)r") % {"user": opts['user']})
        try:
            if opts["action"] == "import":
                report = services.regions_import(actor=actor, files=self._files(opts["files"]), city=opts["city"])
            else:
                report = services.grids_add(actor=actor, per_community=opts["per_community"], under=opts["under"])
        except ServiceError as exc:
            for f in exc.fields[:50]:
                self.stderr.write(f"  row {f.get('row', '-')}, {f.get('field')}: {f.get('message')}")
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    @staticmethod
    def _files(names: list[str]) -> list[tuple[str, bytes]]:
        if not names:
            raise CommandError(_("give one or more files (provinces.csv cities.csv areas.csv streets.csv villages.csv)"))
        files = []
        for name in names:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("%(path)s does not exist") % {"path": path})
            files.append((path.name, path.read_bytes()))
        return files
