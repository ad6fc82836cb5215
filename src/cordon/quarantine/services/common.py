"""Shared pieces of the quarantine services: the system actor, visibility, rule lookups, parsing of cells."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.core import access, clock, policy
from cordon.core.errors import ServiceError
from cordon.core.lifecycle import Lifecycle
from cordon.quarantine.models import (
    ProposalLine,
)

SYSTEM = access.system("quarantine")  # this module's work that no user clicked

# Who may put people into the queue: the site side and the outbreak-response side (contacts/cases).
_ENQUEUE_PERMS = ("quarantine.change", "contacts.change", "cases.change")


def _visible(actor, queryset, **lookup):
    """One named object inside the actor's quarantine view: 404 when missing or elsewhere (never 403 for another area)."""
    obj = queryset.visible_to(actor, "quarantine.view").filter(**lookup).first()
    if obj is None:
        raise Http404("not found")
    return obj


def _may_enqueue(actor, region_path: str) -> None:
    if not any(access.can(actor, p, region_path) for p in _ENQUEUE_PERMS):
        access.require(actor, "quarantine.change", region_path)


def _drop_proposal_lines(request_ids: list[int]) -> None:
    """Remove unconfirmed proposal lines of withdrawn requests."""
    ProposalLine.objects.filter(request_id__in=request_ids, confirmed_at__isnull=True).delete()


def _drop_open_lines(**where) -> None:
    """Remove the unconfirmed proposal lines in a site or room that left service."""
    _drop_proposal_lines(list(ProposalLine.objects.filter(confirmed_at__isnull=True, **where)
                              .values_list("request_id", flat=True)))


# --------------------------------------------------------------------------- helpers

def _step(lifecycle: Lifecycle, current: str, target: str, *, field: str = "status") -> None:
    """Refuse a status change its lifecycle does not allow: 409 naming the field and the allowed next statuses."""
    lifecycle.step(current, target, field=field)


def _sources(lifecycle: Lifecycle, target: str) -> list[str]:
    """The statuses from which `target` is one allowed step (to filter a bulk status update by the lifecycle)."""
    return lifecycle.sources(target)


def _q(on=None) -> dict:
    return policy.in_force(on or clock.today()).section("quarantine")


def _transfer_window() -> dt.timedelta:
    return dt.timedelta(hours=_q().get("transfer_window_hours", 3))


def _user(actor):
    """The actor for a recorded_by/created_by field: a signed-in user, else None (the system, a token link)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse_rows(errors: list[dict]) -> None:
    """Nothing is written when any row is bad: every bad row is listed."""
    if errors:
        raise ServiceError(_("%(len_errors)s rows have errors") % {"len_errors": len(errors)}, fields=errors)


def _float(value, field: str, *, row=None, lo=None, hi=None):
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, _("%(value)r is not a number") % {"value": value}, row=row)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ServiceError.field(field, _("must be between %(lo)s and %(hi)s") % {"lo": lo, "hi": hi}, row=row)
    return v


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "y", "on", "是", "x"} if not isinstance(value, bool) else value


def _when(value, field: str, *, row=None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        v = value
    else:
        try:
            v = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError.field(field, _("%(value)r is not a date and time") % {"value": value}, row=row)
    return clock.aware(v) if timezone.is_naive(v) else v


MISSED_TEST_SOURCE = "quarantine:missed_test"  # the one source of every missed_test reason this app sets
