"""Reads of checkpoints, shifts, inspections and passes, and the offline verifier's settings."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet

from cordon.checkpoints import rules as checkpoint_rules
from cordon.checkpoints.filters import CheckpointFilter, InspectionFilter, OverrideFilter, PassFilter
from cordon.checkpoints.models import Checkpoint, Inspection, Pass, Shift
from cordon.core import access, clock, policy
from cordon.people.models import Person
from cordon.status import credentials
from cordon.zones import selectors as zones_selectors


def checkpoint_list(*, actor, filters: Mapping | None = None) -> QuerySet[Checkpoint]:
    """Checkpoints in the actor's area filtered by CheckpointFilter (kind, q, region), with the last 24 hours' counts."""
    qs = CheckpointFilter.apply(filters, Checkpoint.objects.visible_to(actor, "view").select_related("region").order_by("code"))
    since = clock.now() - dt.timedelta(hours=24)
    return qs.annotate(n_24h=Count("inspections", filter=Q(inspections__at__gte=since)),
                       holds_24h=Count("inspections", filter=Q(inspections__at__gte=since, inspections__result="hold")))


def checkpoint_get(*, actor, pk: int, action: str = "view") -> Checkpoint:
    """One checkpoint; 404 outside the actor's area, 403 when the action is not granted."""
    return access.get_for(actor, Checkpoint.objects.select_related("region"), action, pk=pk)


def shifts_of(*, actor, checkpoint: Checkpoint) -> QuerySet[Shift]:
    """A checkpoint's shifts, newest first."""
    return Shift.objects.visible_to(actor, "view").filter(checkpoint=checkpoint).order_by("-starts_at")


def inspection_list(*, actor, filters: Mapping | None = None) -> QuerySet[Inspection]:
    """Passage inspections in the actor's area filtered by InspectionFilter (checkpoint, result, subject), newest first."""
    return InspectionFilter.apply(filters, Inspection.objects.visible_to(actor, "view").select_related("checkpoint").order_by("-at", "-id"))


def override_list(*, actor, filters: Mapping | None = None) -> QuerySet[Inspection]:
    """Refusals an authorised officer overrode (medical emergency, childbirth, dialysis) in the actor's area, newest first."""
    return OverrideFilter.apply(filters, Inspection.objects.visible_to(actor, "view").filter(overridden_at__isnull=False)
                                .select_related("checkpoint", "overridden_by").order_by("-overridden_at", "-id"))


def inspection_get(*, actor, pk: int) -> Inspection:
    """One inspection (404 outside the actor's area)."""
    return access.get_for(actor, Inspection.objects.select_related("checkpoint"), "view", pk=pk)


def pass_list(*, actor, filters: Mapping | None = None) -> QuerySet[Pass]:
    """Green-lane passes in the actor's area filtered by PassFilter (q), newest first."""
    return PassFilter.apply(filters, Pass.objects.visible_to(actor, "view").order_by("-created_at", "-id"))


def pass_get(*, actor, pk: int, action: str = "view") -> Pass:
    """One pass (404 outside the actor's area)."""
    return access.get_for(actor, Pass.objects.all(), action, pk=pk)


def result_counts(*, actor, since: dt.datetime) -> dict:
    """Inspections per result since a time, inside the actor's area."""
    rows = Inspection.objects.visible_to(actor, "view").filter(at__gte=since).values("result").annotate(n=Count("id"))
    return {r["result"]: r["n"] for r in rows}


def risk_areas() -> list[dict]:
    """The public risk-area list (zones), for the offline origin picker."""
    return list(zones_selectors.public_risk_areas())


def origin_level(*, origin_path: str = "", declared: str = "", on: dt.datetime | None = None, origin: str = "") -> str:
    """The risk level of an origin: zones' level for an in-city region path when known, else the national list's
    level for the origin's place (province/city/county and community), else the declared one."""
    if origin_path:
        level = zones_selectors.risk_level_for_path(region_path=origin_path, on=on)
        if level:
            return level
    external = zones_selectors.external_risk(place=origin, on=on) if origin else None
    return external["level"] if external else (declared or "")


def verifier_config(*, checkpoint: Checkpoint) -> dict:
    """What the phone page needs to decide offline: public keys, the rule values for this kind, risk levels."""
    rules = policy.in_force()
    section = rules.section("checkpoints")
    levels = sorted({a.get("level") for a in risk_areas() if a.get("level")} | set(section.get("hold_origin_risk_levels", [])))
    return {
        "checkpoint": {"id": checkpoint.pk, "code": checkpoint.code, "name": checkpoint.name, "kind": checkpoint.kind},
        "keys": credentials.public_keys_raw(),
        "ruleset": rules.code,
        "validity_hours": checkpoint_rules.validity_hours(checkpoint.kind, checkpoint_rules=section),
        "pass_colours": section.get("pass_colours", ["green"]),
        "hold_origin_risk_levels": section.get("hold_origin_risk_levels", []),
        "no_exit_colours": rules.get("status.no_exit_colours", ["red", "yellow"]),
        "risk_levels": levels,
        "risk_areas": [{"name": " ".join(str(a.get(k, "")) for k in ("province", "city", "county", "area") if a.get(k)),
                        "level": a.get("level", "")} for a in risk_areas()][:500],
        "passes": green_lane_passes(),
        "fetched_at": clock.now().isoformat(),
    }


def resident_token(*, id_number: str, phone: str) -> str | None:
    """The person token for a resident who knows their ID number and phone (public portal look-up)."""
    id_number = (id_number or "").strip().upper()
    phone = (phone or "").strip()
    if not id_number or not phone:
        return None
    return Person.objects.filter(id_number=id_number, phone=phone).values_list("token", flat=True).first()


def green_lane_passes(*, on: dt.datetime | None = None, limit: int = 5000) -> list[dict]:
    """Passes valid now, city-wide (any checkpoint must honour them), for offline checks: number, plate, validity."""
    on = on or clock.now()
    rows = (Pass.objects.filter(revoked=False, valid_from__lte=on + dt.timedelta(days=1), valid_until__gte=on)
            .order_by("valid_until").values_list("number", "plate", "valid_from", "valid_until")[:limit])
    return [{"number": n, "plate": p, "from": int(f.timestamp()), "until": int(u.timestamp())} for n, p, f, u in rows]
