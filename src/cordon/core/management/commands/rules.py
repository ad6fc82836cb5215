import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core import policy
from cordon.core.models import RuleSet, RuleSetAdoption


class Command(BaseCommand):
    help = "Rule sets: `list`, `show [CODE]`, `adopt CODE --from DATE --user NAME`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "show", "adopt"])
        parser.add_argument("code", nargs="?")
        parser.add_argument("--from", dest="effective_from")
        parser.add_argument("--user", default=None)

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            current = policy.in_force()
            for rs in RuleSet.objects.all():
                mark = "*" if rs.code == current.code else " "
                self.stdout.write(f"{mark} {rs.code:18} {rs.effective_from}  {rs.name}")
            for a in RuleSetAdoption.objects.select_related("ruleset"):
                self.stdout.write(f"  adopted {a.ruleset.code} from {a.effective_from} {a.note}")
        elif opts["action"] == "show":
            rules = policy.by_code(opts["code"]) if opts["code"] else policy.in_force()
            self.stdout.write(json.dumps(rules.data, ensure_ascii=False, indent=2))
        else:
            if not opts["code"] or not opts["effective_from"]:
                raise CommandError(_("adopt needs CODE and --from YYYY-MM-DD"))
            user = get_user_model().objects.filter(username=opts["user"]).first() if opts["user"] else None
            if user is None:
                user = get_user_model().objects.filter(is_superuser=True).first()
            rules = policy.ruleset_adopt(actor=user, code=opts["code"],
                                         effective_from=dt.date.fromisoformat(opts["effective_from"]))
            self.stdout.write(f"{rules.code} in force from {opts['effective_from']}")
