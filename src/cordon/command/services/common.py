"""What every command write shares: the platform actor, field checks (user, region, date and time), the
jurisdiction check of a write, and the text message to a post holder."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.core import access, clock
from cordon.core.errors import NotFound, ServiceError
from cordon.core.notify import notifier
from cordon.regions.models import Region

SYSTEM = access.system("command")  # this module's work that no user clicked


def user(user_id, field: str, *, row: int | None = None):
    """The active user `user_id` (a pk or a user), None when blank; a field error when there is no such user."""
    if user_id in (None, ""):
        return None
    User = get_user_model()
    try:
        return User.objects.get(pk=int(getattr(user_id, "pk", user_id)), is_active=True)
    except (ValueError, TypeError, User.DoesNotExist):
        raise ServiceError.field(field, _("no active user %(user_id)s") % {"user_id": user_id}, row=row) from None


def person_and_deputy(person_id, deputy_id, *, field: str, same_message) -> tuple:
    """The active user `person_id` (required, errors under `field`) and the optional deputy, who must be someone else
    (`same_message` when it is the same person)."""
    person = user(person_id, field)
    if person is None:
        raise ServiceError.field(field, _("is required"))
    deputy = user(deputy_id, "deputy")
    if deputy is not None and deputy.pk == person.pk:
        raise ServiceError.field("deputy", same_message)
    return person, deputy


def region_path(path: str, field: str = "region_path") -> str:
    """`path` when a region has it; a field error otherwise."""
    if not path or not Region.objects.filter(path=path).exists():
        raise ServiceError.field(field, _("unknown region %(path)r") % {"path": path})
    return path


def require_change(actor, path: str) -> None:
    """command.change at a region named in a write: a region outside the actor's view does not exist for them (404)."""
    if not access.can(actor, "command.view", path):
        raise NotFound.field("region_path", _("no such region"), code="unknown_region")
    access.require(actor, "command.change", path)


def notify_user(u, message: str, kind: str) -> None:
    """Text a user at the phone of their first active post (nothing for nobody)."""
    if u is None:
        return
    phone = Post.objects.filter(user=u, active=True).exclude(phone="").values_list("phone", flat=True).first() or ""
    notifier().send(phone=phone, message=message, kind=kind)


def parse_dt(value, field: str, *, row: int | None = None):
    """An aware date and time from a datetime or ISO text (city time when naive); None when blank."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else clock.aware(value)
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ServiceError.field(field, _("not a date and time (YYYY-MM-DD HH:MM)"), row=row) from None
    return parsed if timezone.is_aware(parsed) else clock.aware(parsed)


def nearest_post_holder(path: str, roles, *, exclude_user_id=None):
    """The first active holder of one of `roles` at `path` (by post id), or None."""
    qs = Post.objects.filter(region__path=path, role__in=roles, active=True)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    post = qs.select_related("user").order_by("id").first()
    return post.user if post else None
