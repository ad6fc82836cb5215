from django.core.management.base import BaseCommand

from cordon.core import cli
from cordon.people import services

IMPORTERS = {
    "people": services.people_import,
}


class Command(BaseCommand):
    help = "Import a CSV/Excel file as a user (atomic; errors name row and field): `import people FILE --user NAME`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the account the import is made (and audited) as")

    def handle(self, *args, **opts):
        user = cli.acting_user(opts["user"])
        path = cli.input_file(opts["file"])
        with cli.refusal_by_row(self.stderr):
            report = IMPORTERS[opts["kind"]](actor=user, data=path.read_bytes(), filename=path.name)
        self.stdout.write(str(report))
