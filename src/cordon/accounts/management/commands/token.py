"""`cordon token issue USER [--name N] [--second-factor]`, `cordon token list USER`, `cordon token revoke USER ID`: API tokens for a
user, by an administrator at the console (audited as the system actor "cli")."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.accounts import services
from cordon.core import access
from cordon.core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue, list or revoke a user's API tokens"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument("token_id", nargs="?", type=int, help="revoke: the token's id (see list)")
        parser.add_argument("--name", default="api", help="issue: what the token is for")
        parser.add_argument("--second-factor", action="store_true",
                            help="issue: the administrator vouches for the holder: the token may unmask and export (audited)")

    def handle(self, *args, action, username, token_id, name, second_factor=False, **opts):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("username: no user %(username)r") % {"username": username})
        actor = access.system("cli")
        if action == "issue":
            key = services.token_issue(actor=actor, user=user, name=name, second_factor=second_factor)
            self.stdout.write(key)
        elif action == "list":
            for t in services.token_list(actor=actor, user=user):
                state = "revoked" if t.revoked else "active"
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{t.created_at:%Y-%m-%d %H:%M}\t{state}")
        else:
            if token_id is None:
                raise CommandError(_("token_id: give the id of the token to revoke (see `cordon token list USER`)"))
            try:
                services.token_revoke(actor=actor, token_id=token_id, user=user)
            except ServiceError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"revoked token {token_id} of {username}")
