"""Heating, water, power and gas incidents (with the zone risk level at the address), and the stock status of
supermarkets, markets, pharmacies and distribution stations."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import audit, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.livelihood.enums import IncidentKind, IncidentStatus, StockLevel, SupplyPointKind
from cordon.livelihood.models import Incident, SupplyPoint
from cordon.livelihood.services.common import _choice, _region, _require, _section
from cordon.zones import selectors as zone_selectors


def _zone_level(path: str) -> str:
    """The zone risk level in force at the path ("" outside any zone)."""
    return zone_selectors.risk_level_for_path(region_path=path) or ""


def incident_create(*, actor, kind: str, region_id: int, address: str, detail: str = "", households_affected: int = 1) -> Incident:
    """Open a heating, water, power or gas ticket; the deadline comes from the rule set."""
    kind = _choice(kind, IncidentKind, "kind")
    region = _region(actor, region_id)
    if not (address or "").strip():
        raise ServiceError.field("address", _("is required"))
    _require(actor, "livelihood.change", region.path)
    now = clock.now()
    hours = int(_section(now).get("incident_deadline_hours", {}).get(kind, 4))
    with transaction.atomic():
        inc = Incident.objects.create(kind=kind, region=region, region_path=region.path, address=address.strip()[:200],
                                      detail=(detail or "")[:500], households_affected=max(1, int(households_affected or 1)),
                                      zone_level=_zone_level(region.path), reported_at=now,
                                      deadline=now + dt.timedelta(hours=hours))
        audit.record(actor, "incident.create", inc, changes={"kind": kind, "zone_level": inc.zone_level})
    return inc


def incident_update(*, actor, incident: Incident, status: str, resolution: str = "") -> Incident:
    """Move a ticket to in progress or resolved (a resolution note is required)."""
    _require(actor, "livelihood.change", incident.region_path)
    status = _choice(status, IncidentStatus, "status")
    if incident.status == IncidentStatus.RESOLVED:
        raise Conflict(_("the ticket is resolved already"))
    if status == IncidentStatus.RESOLVED and not (resolution or "").strip():
        raise ServiceError.field("resolution", _("is required to resolve a ticket"))
    with transaction.atomic():
        incident.status = status
        if status == IncidentStatus.RESOLVED:
            incident.resolved_at, incident.resolution = clock.now(), resolution.strip()[:300]
        incident.save(update_fields=["status", "resolved_at", "resolution"])
        audit.record(actor, "incident.update", incident, changes={"status": status})
    return incident


def supply_point_create(*, actor, name: str, kind: str, region_id: int, address: str = "") -> SupplyPoint:
    """Register a supermarket, wholesale market, pharmacy or distribution station."""
    kind = _choice(kind, SupplyPointKind, "kind")
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    region = _region(actor, region_id)
    _require(actor, "livelihood.change", region.path)
    with transaction.atomic():
        sp = SupplyPoint.objects.create(name=name.strip(), kind=kind, region=region, region_path=region.path,
                                        address=address, updated_at=clock.now())
        audit.record(actor, "supply_point.create", sp, changes={"name": sp.name, "kind": kind})
    return sp


def supply_point_stock(*, actor, point: SupplyPoint, levels: dict, open: bool | None = None) -> SupplyPoint:
    """Report a supply point's stock status per category (ample, tight, out) and whether it is open."""
    _require(actor, "livelihood.change", point.region_path)
    changes = {}
    for field, value in levels.items():
        if field not in SupplyPoint.STOCK_FIELDS:
            raise ServiceError.field(field, _("is not a stock category"))
        _choice(value, StockLevel, field)
        changes[field] = value
    if open is not None:
        changes["open"] = bool(open)
    with transaction.atomic():
        for k, v in changes.items():
            setattr(point, k, v)
        point.updated_at = clock.now()
        point.save()
        audit.record(actor, "supply_point.stock", point, changes=changes)
    return point
