"""On a confirmed case: restart or escalate the zone the case lives in, or propose its residence, surroundings
and the rest of the district, with a task for the district officer to decide."""

import datetime as dt

from cordon.command import services as command_services
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.people.models import Household, Person
from cordon.regions.models import Region
from cordon.zones import rules
from cordon.zones.enums import ACTIVE, Origin
from cordon.zones.models import Zone, ZoneHousehold
from cordon.zones.services.common import SYSTEM, zone_rules
from cordon.zones.services.designation import zone_designate
from cordon.zones.services.lifecycle import zone_positive_found


def _pick_for(unit_kind: str | None, household: Household) -> dict | None:
    b = household.building
    if unit_kind == "unit" and household.unit_id:
        return {"type": "unit", "id": household.unit_id}
    if unit_kind in ("unit", "building") and b is not None:
        return {"type": "building", "id": b.pk}
    if unit_kind in ("unit", "building", "compound") and b is not None:
        return {"type": "compound", "community_id": b.community_id, "name": b.compound}
    if unit_kind in ("unit", "building", "compound", "grid"):
        return {"type": "grid", "id": household.grid_id}
    if unit_kind == "community":
        return {"type": "community", "id": household.grid.parent_id}
    return None


def zones_propose_for_case(*, case, actor) -> list[Zone]:
    """On a confirmed case: restart or escalate the zone it lives in, or propose residence, surroundings and the rest of the district."""
    source = f"cases.case:{case.pk}"
    existing = list(Zone.objects.filter(source=source))
    if existing:
        return existing
    person = Person.objects.select_related("household__building", "household__grid").filter(pk=case.person_id).first()
    if person is None or person.household_id is None:
        return []
    code, zr = zone_rules()
    membership = ZoneHousehold.objects.select_related("zone").filter(household_id=person.household_id, active=True).first()
    if membership and not rules.is_area_wide(zr, membership.zone.kind):
        return [zone_positive_found(zone=membership.zone, at=case.confirmed_at, actor=actor, source=source)]
    if membership:
        zone_positive_found(zone=membership.zone, at=case.confirmed_at, actor=actor, source=source)
    plan = zr.get("propose_on_case") or {}
    out = []
    household = person.household
    taken = set(ZoneHousehold.objects.filter(active=True).exclude(zone__kind__in=[k for k in (zr.get("kinds") or {}) if rules.is_area_wide(zr, k)])
                .values_list("household_id", flat=True))
    residence = _pick_for(zr.get("residence_unit") or zr.get("default_unit"), household)
    if plan.get("residence") and residence:
        out.append(zone_designate(actor=SYSTEM, kind=plan["residence"], picks=[residence], origin=Origin.CASE, source=source,
                                  exclude=taken, note=f"case {case.pk}"))
    surroundings = _pick_for(zr.get("surroundings_unit"), household) if zr.get("surroundings_unit") else None
    if plan.get("surroundings") and surroundings:
        taken |= set(ZoneHousehold.objects.filter(active=True, zone__in=out).values_list("household_id", flat=True))
        try:
            out.append(zone_designate(actor=SYSTEM, kind=plan["surroundings"], picks=[surroundings], origin=Origin.CASE,
                                      source=source, exclude=taken, note=f"case {case.pk}"))
        except ServiceError:
            pass  # nothing left around the residence outside other zones
    rest = plan.get("rest_of_district")
    if rest:
        district = Region.objects.filter(path=".".join(person.region_path.split(".")[:2])).first()
        if district and not Zone.objects.filter(status__in=ACTIVE, kind=rest, district_path=district.path).exists():
            try:
                out.append(zone_designate(actor=SYSTEM, kind=rest, district_rest=district, origin=Origin.CASE, source=source,
                                          note=f"case {case.pk}"))
            except ServiceError:
                pass
    if out:
        hours = int(zr.get("publish_within_hours") or 5)
        command_services.task_create(
            actor=SYSTEM, title=f"确认病例 {case.pk} 的拟划定区域 / confirm proposed zones for case {case.pk}", kind="zones.confirm",
            region_path=out[0].district_path, deadline=clock.now() + dt.timedelta(hours=hours), owner_role="district_officer",
            priority=1, detail=", ".join(z.name for z in out), source=f"zones.{source}")
    return out
