import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from cordon.core import ids


class Command(BaseCommand):
    help = ("ID numbers: `ids check ID... [--file FILE]` prints one JSON line per number: id (normalised), valid, "
            "reason (format, checksum, birth_date, future_birth_date, place_code, place_code_not_in_birth_year or null), "
            "message, and for a valid number birth_date, sex and place.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("numbers", nargs="*")
        parser.add_argument("--file", help="a text file with one ID number a line")
        parser.add_argument("--lang", default="zh-hans", help="language of the messages (zh-hans or en)")

    def handle(self, *args, **opts):
        numbers = list(opts["numbers"])
        if opts["file"]:
            path = Path(opts["file"])
            if not path.exists():
                raise CommandError(_("--file: %(path)s does not exist") % {"path": path})
            numbers += [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        if not numbers:
            raise CommandError(_("give one or more ID numbers (or --file)"))
        with translation.override(opts["lang"]):
            for number in numbers:
                self.stdout.write(json.dumps(self._judge(number), ensure_ascii=False))

    @staticmethod
    def _judge(number: str) -> dict:
        try:
            idn, birth, sex = ids.check_id_number(number)
        except ids.InvalidIdNumber as exc:
            return {"id": ids.normalise_id_number(number), "valid": False, "reason": exc.reason, "message": str(exc)}
        return {"id": idn, "valid": True, "reason": None, "message": "", "birth_date": birth.isoformat(), "sex": sex,
                "place": ids.place_label(idn[:6], birth.year)}
