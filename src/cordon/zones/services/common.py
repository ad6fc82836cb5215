"""What the zones writes share: the rule set of a zone, area checks, the zone's lifecycle record (ZoneEvent),
its counts and its residents' status reason."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, clock, policy
from cordon.core.errors import NotFound, ServiceError
from cordon.people.models import Person
from cordon.status import services as status_services
from cordon.zones import rules
from cordon.zones.enums import ACTIVE, Origin, ZoneStatus
from cordon.zones.models import Zone, ZoneEvent, ZoneHousehold

SYSTEM = access.system("zones")  # this module's work that no user clicked


def zone_rules(code: str | None = None, on=None) -> tuple[str, dict]:
    """(rule set code, its "zones" section): a zone's own rule set, or the one in force."""
    ruleset = policy.by_code(code) if code else policy.in_force(on)
    return ruleset.code, ruleset.section("zones")


def check_area(actor, path: str, field: str) -> None:
    if access.is_system(actor):
        return
    if not access.can(actor, "zones.view", path) and not access.can(actor, "zones.change", path):
        raise NotFound(_("%(field)s: not found in your area") % {"field": field}, fields=[{"field": field, "message": _("not found in your area")}])
    if not access.can(actor, "zones.change", path):
        raise PermissionDenied("zones.change")


def as_int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError.field(field, _("must be a number")) from None


def recount(zone: Zone) -> None:
    agg = ZoneHousehold.objects.filter(zone=zone, active=True).aggregate(h=Count("id"), p=Sum("people"), v=Sum("vulnerable"))
    zone.households, zone.population, zone.vulnerable = agg["h"] or 0, agg["p"] or 0, agg["v"] or 0
    Zone.objects.filter(pk=zone.pk).update(households=zone.households, population=zone.population, vulnerable=zone.vulnerable)


def record_event(zone: Zone, verb: str, actor, *, status_from="", kind_from="", note="") -> None:
    ZoneEvent.objects.create(zone=zone, at=clock.now(), verb=verb, status_from=status_from, status_to=zone.status,
                             kind_from=kind_from, kind_to=zone.kind, note=note[:400],
                             actor=access.user_or_none(actor))


def status_sync(zone: Zone, *, actor) -> dict:
    """Give the zone's residents the status reason its kind holds under its rule set (or take it away when the zone
    is lifted, cancelled, lowered to a kind without one, or households left it): the colour changes with the fact."""
    status_rules = policy.by_code(zone.ruleset).section("status")
    reason = rules.status_reason(zone.kind, status=zone.status, active_statuses=ACTIVE, status_rules=status_rules)
    return status_services.reasons_sync(source=zone.source_ref, reason=reason, person_ids=resident_ids(zone) if reason else [],
                                        since=zone.in_force_at or zone.designated_at, actor=actor)


def require_change(actor, zone: Zone) -> None:
    if not access.is_system(actor):
        access.require(actor, "zones.change", zone.region_path)


def close_proposal_task(zone: Zone) -> None:
    if zone.origin != Origin.CASE or not zone.source:
        return
    if Zone.objects.filter(source=zone.source, status=ZoneStatus.DESIGNATED).exists():
        return
    command_services.task_close_by_source(actor=SYSTEM, source=f"zones.{zone.source}", result="zones decided")


def resident_ids(zone: Zone) -> list[int]:
    return list(Person.objects.filter(household__zone_memberships__zone=zone, household__zone_memberships__active=True)
                .values_list("id", flat=True))
