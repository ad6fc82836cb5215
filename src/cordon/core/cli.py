"""What cordon's management commands share: the account a command acts as (`--user`), the file it reads, and a
service's refusal printed field by field with its row."""

from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cordon.core.errors import ServiceError


def acting_user(username: str | None, *, default=None):
    """The active account called `username`; `default` (a system actor) when no name is given and there is one."""
    if not username and default is not None:
        return default
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("--user: no active user %(user)r") % {"user": username})
    return user


def input_file(name: str) -> Path:
    """The file a command reads; a CommandError naming it when it is not there."""
    path = Path(name)
    if not path.is_file():
        raise CommandError(_("file: %(path)s does not exist") % {"path": path})
    return path


@contextmanager
def refusal_by_row(stderr):
    """Turns a service's refusal into a CommandError, after writing its fields (50 at most) to `stderr`, each with its
    row when it has one."""
    try:
        yield
    except ServiceError as exc:
        for f in exc.fields[:50]:
            row = f"row {f['row']}, " if "row" in f else ""
            stderr.write(f"  {row}{f.get('field')}: {f.get('message')}")
        raise CommandError(exc.message) from None
