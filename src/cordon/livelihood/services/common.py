"""What every livelihood write shares: the module's system actor, the rule-set section, the permission check,
choice and region validation."""

from django.utils.translation import gettext as _

from cordon.core import access, clock, policy
from cordon.core.errors import NotFound, ServiceError
from cordon.regions.models import Region

SYSTEM = access.system("livelihood")  # this module's work that no user clicked


def _section(on=None) -> dict:
    return policy.in_force(on or clock.now()).section("livelihood")


def _require(actor, perm: str, path: str) -> None:
    access.require(actor, perm, path)


def _choice(value, choices, field: str, row: int | None = None) -> str:
    if value not in choices.values:
        raise ServiceError.field(field, _("must be one of %(choices)s") % {"choices": ', '.join(choices.values)}, row=row)
    return value


def _region(actor, region_id, field: str = "region_id", row: int | None = None) -> Region:
    """The region by id; outside the actor's area it does not exist for them (404, never revealed)."""
    region = Region.objects.filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None or (not access.can(actor, "livelihood.view", region.path)):
        raise NotFound.field(field, _("no such region"), row=row, code="unknown_region")
    return region
