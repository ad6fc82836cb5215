from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import audit


class Command(BaseCommand):
    help = "Audit log tools: `verify` walks the hash chain and reports the first tampered entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **opts):
        result = audit.verify()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} entries verified")
            return
        raise CommandError(_("audit chain broken after checking %(checked)s entries: %(problem)s") % {"checked": result.checked, "problem": result.problem})
