from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core.errors import ServiceError
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
        user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("--user: no active user %(user)r") % {"user": opts['user']})
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(_("file: %(path)s does not exist") % {"path": path})
        try:
            report = IMPORTERS[opts["kind"]](actor=user, data=path.read_bytes(), filename=path.name)
        except ServiceError as exc:
            for f in exc.fields[:50]:
                self.stderr.write(f"  row {f.get('row', '-')}, {f.get('field')}: {f.get('message')}")
            raise CommandError(exc.message)
        self.stdout.write(str(report))
