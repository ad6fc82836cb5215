"""Pure zone rules: polygon membership, conflicts, lifting criteria, the countdown, escalation.

No ORM and no settings: rule-set values come in as arguments (the "zones" section of the rule set
in force, or of the rule set a zone was designated under).
"""

import datetime as dt

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.path import Path

ENFORCED = ("in_force", "countdown", "eligible")
AREA_WIDE_LIFT_KEYS = ("when_district_sealed_and_controlled_lifted", "when_county_high_and_medium_lifted")


class RuleError(ValueError):
    """Bad geometry or a kind the rule set does not know."""


def kind_rules(zone_rules: dict, kind: str) -> dict:
    kinds = zone_rules.get("kinds") or {}
    if kind not in kinds:
        raise RuleError(_("unknown kind %(kind)r; this rule set has %(join_kinds_or_none)s") % {"kind": kind, "join_kinds_or_none": ', '.join(kinds) or 'none'})
    return kinds[kind]


def rank(zone_rules: dict, kind: str) -> int:
    return int((zone_rules.get("kinds") or {}).get(kind, {}).get("rank", 0))


def is_area_wide(zone_rules: dict, kind: str) -> bool:
    """Area-wide kinds (precaution, low) cover 'the rest' and give way to narrower zones drawn inside."""
    lift = (zone_rules.get("kinds") or {}).get(kind, {}).get("lift") or {}
    return any(lift.get(k) for k in AREA_WIDE_LIFT_KEYS)


def status_reason(kind: str, *, status: str, active_statuses, status_rules: dict) -> str | None:
    """The health-status reason a zone's residents hold: the rule set's zone_reasons for its kind while the zone is
    active (from designation until it is lifted or cancelled), none otherwise."""
    if status not in active_statuses:
        return None
    return (status_rules.get("zone_reasons") or {}).get(kind)


def overlap_allowed(zone_rules: dict, *, new_kind: str, existing_kind: str) -> bool:
    """A new zone may take households from an area-wide zone of lower rank; any other overlap is a conflict."""
    return is_area_wide(zone_rules, existing_kind) and not is_area_wide(zone_rules, new_kind) \
        and rank(zone_rules, new_kind) > rank(zone_rules, existing_kind)


def polygon_rings(geometry) -> list[list[list[tuple[float, float]]]]:
    """GeoJSON Polygon/MultiPolygon -> [[exterior, hole, ...], ...]; raises RuleError naming the problem."""
    if not isinstance(geometry, dict):
        raise RuleError(_("polygon must be a GeoJSON geometry object"))
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        polys = coords
    else:
        raise RuleError(_("polygon must be a GeoJSON Polygon or MultiPolygon"))
    out = []
    for poly in polys or []:
        rings = []
        for ring in poly or []:
            try:
                pts = [(float(p[0]), float(p[1])) for p in ring]
            except (TypeError, ValueError, IndexError) as exc:
                raise RuleError(_("polygon coordinates must be [longitude, latitude] pairs")) from exc
            if len(pts) < 3:
                raise RuleError(_("a polygon ring needs at least 3 points"))
            for lon, lat in pts:
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise RuleError(_("point (%(lon)s, %(lat)s) is not a longitude/latitude") % {"lon": lon, "lat": lat})
            rings.append(pts)
        if rings:
            out.append(rings)
    if not out:
        raise RuleError(_("polygon has no rings"))
    return out


def bbox(rings) -> tuple[float, float, float, float]:
    pts = [p for poly in rings for p in poly[0]]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def points_inside(lons, lats, rings) -> np.ndarray:
    """Boolean mask: which (lon, lat) points lie inside the polygon(s), holes excluded."""
    pts = np.column_stack([np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)])
    if len(pts) == 0:
        return np.zeros(0, dtype=bool)
    inside = np.zeros(len(pts), dtype=bool)
    for poly in rings:
        hit = Path(poly[0]).contains_points(pts)
        for hole in poly[1:]:
            hit &= ~Path(hole).contains_points(pts)
        inside |= hit
    return inside


def common_path(paths: list[str]) -> str:
    """The deepest region path that is an ancestor-or-self of every path given."""
    if not paths:
        return ""
    split = [p.split(".") for p in paths]
    out = []
    for parts in zip(*split, strict=False):
        if all(x == parts[0] for x in parts):
            out.append(parts[0])
        else:
            break
    return ".".join(out)


def required_days(kind_rule: dict, *, lowered_from: str = "") -> int:
    lift = kind_rule.get("lift") or {}
    days = int(lift.get("days_without_new_case") or 0)
    if lowered_from and lift.get("extra_days_if_lowered_from_high"):
        days += int(lift["extra_days_if_lowered_from_high"])
    return days


def days_elapsed(clock_start: dt.date | None, today: dt.date) -> int:
    return 0 if clock_start is None else max(0, (today - clock_start).days)


def days_remaining(kind_rule: dict, *, clock_start: dt.date | None, today: dt.date, lowered_from: str = "") -> int | None:
    """Days until the no-new-case criterion can hold; None for kinds lifted with their area."""
    need = required_days(kind_rule, lowered_from=lowered_from)
    if not need:
        return None
    return max(0, need - days_elapsed(clock_start, today))


def unmet_criteria(kind_rule: dict, *, today: dt.date, now: dt.datetime, clock_start: dt.date | None,
                   lowered_from: str = "", last_contact_exposure: dt.datetime | None = None,
                   last_contacts_negative: bool = True, residents: int = 0, residents_negative: int = 0,
                   results_available: bool = True, higher_zones_open: int = 0) -> list[dict]:
    """Every lifting criterion of the kind that does not hold, each with a message naming it."""
    lift = kind_rule.get("lift") or {}
    out = []
    need = required_days(kind_rule, lowered_from=lowered_from)
    if need:
        elapsed = days_elapsed(clock_start, today)
        if elapsed < need:
            out.append({"criterion": "days_without_new_case",
                        "message": _("%(elapsed)s of %(need)s days without a new case among residents") % {
                            "elapsed": elapsed, "need": need}})
    contact_days = lift.get("last_close_contact_days_past_exposure")
    if contact_days and last_contact_exposure is not None:
        due = last_contact_exposure + dt.timedelta(days=int(contact_days))
        if now < due:
            out.append({"criterion": "last_close_contact_days_past_exposure",
                        "message": _("the last close contact from the zone is %(days)s days past exposure only on %(due)s") % {
                            "days": contact_days, "due": f"{due:%Y-%m-%d}"}})
        elif not results_available:
            out.append({"criterion": "last_close_contact_negative", "message": _("no test results are available")})
        elif not last_contacts_negative:
            out.append({"criterion": "last_close_contact_negative",
                        "message": _("the last close contact from the zone has no negative test after the period")})
    round_days = lift.get("negative_round_within_days")
    if round_days:
        if not results_available:
            out.append({"criterion": "negative_round_within_days", "message": _("no test results are available")})
        elif residents_negative < residents:
            out.append({"criterion": "negative_round_within_days",
                        "message": _("%(untested)s of %(residents)s residents have no negative test within the last %(days)s days") % {
                            "untested": residents - residents_negative, "residents": residents, "days": round_days}})
    if any(lift.get(k) for k in AREA_WIDE_LIFT_KEYS) and higher_zones_open:
        out.append({"criterion": "higher_zones_open",
                    "message": _("%(count)s higher-level zones of the area are not lifted yet") % {"count": higher_zones_open}})
    return out


def next_status(status: str, *, in_force_day: dt.date | None, today: dt.date, unmet: list[dict]) -> str:
    """in_force -> countdown from the day after it took effect; countdown <-> eligible as criteria hold."""
    if status not in ENFORCED:
        return status
    if in_force_day is None or today <= in_force_day:
        return "in_force"
    return "countdown" if unmet else "eligible"


def on_positive(zone_rules: dict, kind: str) -> tuple[str, str]:
    """What a new positive inside a zone does: ("escalate", new kind), ("restart", kind) or ("none", kind)."""
    rule = kind_rules(zone_rules, kind)
    target = rule.get("escalate_on_positive")
    if target and target in (zone_rules.get("kinds") or {}):
        return "escalate", target
    if rule.get("restart_on_positive"):
        return "restart", kind
    return "none", kind


def household_needs(flags: list[set[str]], needs_map: dict[str, list[str]]) -> list[str]:
    """Need kinds of one household from its members' vulnerable flags."""
    present = set().union(*flags) if flags else set()
    return [need for need, causes in needs_map.items() if "*" in causes or present & set(causes)]


def needs_summary(rows: list[list[str]], needs_map: dict[str, list[str]]) -> dict[str, int]:
    """Households per need kind, in the rule set's order."""
    out = {need: 0 for need in needs_map}
    for needs in rows:
        for need in needs:
            if need in out:
                out[need] += 1
    return out
