"""Quarantine sites and their rooms: registration, details, the readiness checklist, status, rooms in bulk."""


from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, tabular
from cordon.core.errors import Conflict, ServiceError
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    READINESS_ITEMS,
    SITE_LIFECYCLE,
    RoomKind,
    RoomStatus,
    SiteStatus,
)
from cordon.quarantine.models import (
    Room,
    Site,
    Stay,
)
from cordon.quarantine.services.common import (
    _bool,
    _drop_open_lines,
    _float,
    _refuse_rows,
    _visible,
)
from cordon.regions.models import Level, Region

SITE_FIELDS = {"name", "address", "kind", "lends_rooms", "lon", "lat", "doctors_on_duty", "nurses_on_duty", "staff_note",
               "manager_id"}


def site_create(*, actor, name: str, address: str, region_id: int, lends_rooms: bool = False, lon=None, lat=None,
                kind: str = "hotel", manager_id: int | None = None) -> Site:
    """Register a quarantine site (status reserve) in a district or one of its streets/communities."""
    region = _visible(actor, Region.objects.all(), pk=region_id)
    if region.level < Level.DISTRICT:
        raise ServiceError.field("region_id", _("must be a district or a region inside one"))
    access.require(actor, "quarantine.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    if not (address or "").strip():
        raise ServiceError.field("address", _("is required"))
    lon = _float(lon, "lon", lo=-180, hi=180)
    lat = _float(lat, "lat", lo=-90, hi=90)
    with transaction.atomic():
        site = Site.objects.create(name=name.strip(), address=address.strip(), region=region, region_path=region.path,
                                   kind=kind or "hotel", lends_rooms=bool(lends_rooms),
                                   lon=lon if lon is not None else region.lon, lat=lat if lat is not None else region.lat,
                                   manager_id=manager_id, readiness={k: False for k in READINESS_ITEMS})
        audit.record(actor, "site.create", site, changes={"name": site.name, "region": region.path})
    return site


def site_update(*, actor, site: Site, **changes) -> Site:
    """Change a site's details, staff on duty or lending."""
    access.require(actor, "quarantine.change", site.region_path)
    unknown = set(changes) - SITE_FIELDS
    if unknown:
        raise ServiceError.field(sorted(unknown)[0], _("cannot be changed here"))
    for f in ("doctors_on_duty", "nurses_on_duty"):
        if f in changes:
            try:
                changes[f] = int(changes[f])
            except (TypeError, ValueError):
                raise ServiceError.field(f, _("must be a whole number"))
            if changes[f] < 0:
                raise ServiceError.field(f, _("must not be negative"))
    for f in ("lon", "lat"):
        if f in changes:
            changes[f] = _float(changes[f], f, lo=-180, hi=180)
    if "lends_rooms" in changes:
        changes["lends_rooms"] = _bool(changes["lends_rooms"])
    if "name" in changes and not str(changes["name"]).strip():
        raise ServiceError.field("name", _("is required"))
    with transaction.atomic():
        for k, v in changes.items():
            setattr(site, k, v)
        site.save()
        audit.record(actor, "site.update", site, changes=changes)
    return site


def site_readiness(*, actor, site: Site, items: dict) -> Site:
    """Tick or untick items of the readiness checklist."""
    access.require(actor, "quarantine.change", site.region_path)
    bad = [k for k in items if k not in READINESS_ITEMS]
    if bad:
        raise ServiceError.field(bad[0], _("is not a checklist item"))
    with transaction.atomic():
        site.readiness = {**{k: False for k in READINESS_ITEMS}, **site.readiness, **{k: _bool(v) for k, v in items.items()}}
        site.save(update_fields=["readiness"])
        audit.record(actor, "site.readiness", site, changes=items)
    return site


def site_set_status(*, actor, site: Site, status: str) -> Site:
    """Move a site between reserve, being readied, open, full and closed for disinfection."""
    access.require(actor, "quarantine.change", site.region_path)
    if status == site.status:
        return site
    SITE_LIFECYCLE.step(site.status, status)  # 409 transition for a step the status forbids, 400 for an unknown one
    if status == SiteStatus.OPEN and not site.ready:
        missing = [k for k in READINESS_ITEMS if not site.readiness.get(k)]
        raise ServiceError.field("status", _("the readiness checklist is not complete: %(choices)s") % {"choices": ', '.join(missing)},
                                 code="not_ready")
    if status == SiteStatus.DISINFECTION and Stay.objects.filter(site=site, status__in=ACTIVE_STAY).exists():
        raise Conflict(_("people are still in this site; release or move them before closing it for disinfection"))
    with transaction.atomic():
        old = site.status
        site.status = status
        site.save(update_fields=["status"])
        if status == SiteStatus.DISINFECTION:
            _drop_open_lines(site=site)
        audit.record(actor, "site.status", site, changes={"from": old, "to": status})
    return site


ROOM_ALIASES = {"number": "number", "房号": "number", "房间号": "number", "floor": "floor", "楼层": "floor",
                "kind": "kind", "房型": "kind", "own_bathroom": "own_bathroom", "独立卫生间": "own_bathroom",
                "accessible": "accessible", "无障碍": "accessible", "position": "position", "位置": "position"}
# The rooms import's empty template (core.tabular.template_view): headers as ROOM_ALIASES accepts them, an example row.
ROOM_TEMPLATE = [("房号", "301"), ("楼层", 3), ("房型", "single"), ("独立卫生间", "是"), ("无障碍", "否"), ("位置", 1)]


def rooms_add(*, actor, site: Site, rows: list[dict]) -> dict:
    """Add rooms to a site in bulk: every bad row listed, nothing written when any row is bad."""
    access.require(actor, "quarantine.change", site.region_path)
    existing = set(Room.objects.filter(site=site).values_list("number", flat=True))
    errors, clean, seen = [], [], set()
    for i, r in enumerate(rows, start=1):
        number = str(r.get("number") or "").strip()
        if not number:
            errors.append({"row": i, "field": "number", "message": _("is required")})
            continue
        if number in existing or number in seen:
            errors.append({"row": i, "field": "number", "message": _("room %(room)s exists already") % {"room": number}})
            continue
        seen.add(number)
        try:
            floor = int(r.get("floor") or (int(number) // 100 if number.isdigit() else 1))
        except (TypeError, ValueError):
            errors.append({"row": i, "field": "floor", "message": _("%(value)r is not a whole number") % {"value": r.get("floor")}})
            continue
        kind = str(r.get("kind") or RoomKind.SINGLE).strip()
        if kind not in RoomKind.values:
            errors.append({"row": i, "field": "kind", "message": _("must be one of %(choices)s") % {"choices": ", ".join(RoomKind.values)}})
            continue
        try:
            position = int(r.get("position") or (int(number) % 100 if number.isdigit() else len(seen)))
        except (TypeError, ValueError):
            errors.append({"row": i, "field": "position", "message": _("is not a whole number")})
            continue
        own = r.get("own_bathroom")
        clean.append(Room(site=site, region_path=site.region_path, number=number, floor=floor, position=position,
                          kind=kind, own_bathroom=True if own in (None, "") else _bool(own),
                          accessible=_bool(r.get("accessible") or False)))
    _refuse_rows(errors)
    if not clean:
        raise ServiceError.field("rows", _("no rooms given"))
    with transaction.atomic():
        Room.objects.bulk_create(clean, batch_size=1000)
        audit.record(actor, "room.bulk_add", site, changes={"count": len(clean)})
    return {"created": len(clean)}


def rooms_import(*, actor, site: Site, data: bytes, filename: str) -> dict:
    """Rooms from CSV/Excel (number, floor, kind, own bathroom, accessible)."""
    rows = [row for _, row in tabular.read_rows(data, filename, ROOM_ALIASES)]
    return rooms_add(actor=actor, site=site, rows=rows)


def rooms_generate(*, actor, site: Site, floors: int, per_floor: int, first_floor: int = 2, accessible_per_floor: int = 1) -> dict:
    """Add numbered rooms floor by floor (e.g. 201..220, 301..320)."""
    if not 1 <= int(floors) <= 60:
        raise ServiceError.field("floors", _("must be between 1 and 60"))
    if not 1 <= int(per_floor) <= 99:
        raise ServiceError.field("per_floor", _("must be between 1 and 99"))
    rows = [{"number": f"{f}{p:02d}", "floor": f, "position": p, "accessible": p <= accessible_per_floor}
            for f in range(first_floor, first_floor + int(floors)) for p in range(1, int(per_floor) + 1)]
    return rooms_add(actor=actor, site=site, rows=rows)


def room_set_status(*, actor, room: Room, status: str) -> Room:
    """Free a room after disinfection, send it to disinfection, or take it out of service."""
    access.require(actor, "quarantine.change", room.region_path)
    if status not in (RoomStatus.FREE, RoomStatus.DISINFECTION, RoomStatus.OUT):
        raise ServiceError.field("status", _("must be free, disinfection or out"))
    if Stay.objects.filter(room=room, status__in=ACTIVE_STAY).exists():
        raise Conflict(_("room %(number)s is occupied") % {"number": room.number})
    with transaction.atomic():
        old = room.status
        room.status = status
        room.save(update_fields=["status"])
        if status != RoomStatus.FREE:
            _drop_open_lines(room=room)
        audit.record(actor, "room.status", room, changes={"from": old, "to": status})
    return room
