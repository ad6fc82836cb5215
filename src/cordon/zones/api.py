import datetime as dt
from typing import Literal

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core import access
from cordon.core.apikit import Id, NextStatuses, actor, next_statuses
from cordon.core.exports import http_response
from cordon.core.pagination import Pagination
from cordon.regions.api import RegionsMapDistrict
from cordon.zones import exports, selectors, services
from cordon.zones.enums import ZONE_LIFECYCLE

router = Router(tags=["zones"])

SHEET = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {"responses": {200: {"description": "The zones as Excel, or CSV with `format=csv`.", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": SHEET, "text/csv": SHEET}}}}


class ZoneOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    ruleset: str
    drawn_by: str
    region_path: str
    district_path: str
    origin: str
    source: str
    designated_at: dt.datetime
    in_force_at: dt.datetime | None
    clock_start: dt.datetime | None
    lifted_at: dt.datetime | None
    lowered_from: str
    positives: int
    population: int
    households: int
    vulnerable: int
    lon: float | None
    lat: float | None
    emergency_phone: str
    unmet: list[dict]
    next_statuses: NextStatuses
    resolve_next_statuses = next_statuses(ZONE_LIFECYCLE)


class ZoneIn(Schema):
    kind: str = Field(max_length=20)
    picks: list[dict] | None = Field(None, max_length=5000)
    polygon: dict | None = None
    name: str = Field("", max_length=200)
    note: str = Field("", max_length=300)
    emergency_phone: str = Field("", max_length=40)


class ZonesNoteIn(Schema):
    note: str = Field("", max_length=300)


class ZonesAssignIn(Schema):
    household_ids: list[Id] = Field(max_length=10_000)
    worker_name: str = Field(max_length=150)
    worker_phone: str = Field(max_length=30)


class MemberOut(Schema):
    household_id: Id
    address: str
    people: int
    vulnerable: int
    needs: list[str]
    worker_name: str
    worker_phone: str
    grid_path: str


class ZoneSummaryOut(Schema):
    label: str
    label_en: str
    rank: int
    regime: str
    days_remaining: int | None
    days_required: int
    needs: dict[str, int]
    unassigned: int
    emergency_contact: str


class ZoneEventOut(Schema):
    at: dt.datetime
    verb: str
    status_from: str
    status_to: str
    kind_from: str
    kind_to: str
    note: str


class ZoneDetailOut(Schema):
    zone: ZoneOut
    responsible: CommandResponsibleOut = Field(description="who answers for the zone now and the deputy (duty roster)")
    summary: ZoneSummaryOut
    events: list[ZoneEventOut]


class ZoneMapZone(Schema):
    id: int
    name: str
    kind: str
    label: str
    rank: int
    status: str
    status_label: str
    lon: float | None
    lat: float | None
    population: int
    households: int
    days_remaining: int | None
    polygon: dict | None


class ZoneMapOut(Schema):
    districts: list[RegionsMapDistrict]
    zones: list[ZoneMapZone]


class ZonesAssignOut(Schema):
    updated: int


class ZonesNationalEntry(Schema):
    type: str
    province: str
    city: str
    county: str
    area_name: str
    communitys: list[str]


class ZonesNationalData(Schema):
    end_update_time: str = Field(description="update time as the national list writes it: `2022-10-29 22时` (city time)")
    hcount: int = Field(description="community strings listed high")
    mcount: int
    lcount: int
    highlist: list[ZonesNationalEntry]
    middlelist: list[ZonesNationalEntry]
    lowlist: list[ZonesNationalEntry]


class ZonesNationalDocument(Schema):
    code: int
    msg: str
    data: ZonesNationalData


class ZonesNationalImportOut(Schema):
    end_update_time: str
    high: int = Field(description="community strings the file lists high (likewise middle, low)")
    middle: int
    low: int
    declared: dict[str, int | None] = Field(description="hcount/mcount/lcount as the file states them, per level")
    added: int
    removed: int
    unchanged: int
    changed: bool
    source: str


class ZonesExternalAreaOut(Schema):
    id: int
    level: str
    province: str
    city: str
    county: str
    community: str
    listed_from: dt.datetime
    listed_until: dt.datetime | None


class ZonesNationalListOut(Schema):
    updated_at: dt.datetime
    imported_at: dt.datetime
    source: str
    listed: dict[str, int]
    added: int
    removed: int
    unchanged: int


class ZonesNationalStatusOut(Schema):
    current: dict[str, int]
    lists: list[ZonesNationalListOut]


@router.get("/public", response=ZonesNationalDocument, auth=None)
def public_feed(request):
    """The public risk-area list (no login) in the national list's shape: {code, msg, data: {end_update_time, hcount,
    mcount, lcount, highlist, middlelist, lowlist}}; the counts are the community strings listed at each level."""
    return selectors.national_document()


@router.get("/national", response=ZonesNationalStatusOut)
def national_status(request):
    """The national risk-area list in force (communities per level) and the snapshots imported, newest first."""
    access.require(actor(request), "zones.view")
    return {"current": selectors.external_counts(), "lists": selectors.national_lists()}


@router.post("/national", response=ZonesNationalImportOut)
def national_import(request, file: File[UploadedFile]):
    """Import a snapshot of the national risk-area list (its JSON file); idempotent, a newer list replaces the older
    (ended areas kept as history), an older one is refused (409). City command only."""
    return services.national_import(actor=actor(request), data=file.read(), source=file.name or "")


@router.get("/national/areas", response=list[ZonesExternalAreaOut])
@paginate(Pagination)
def national_areas(request, level: str | None = None, current: bool | None = None, q: str | None = None):
    """External risk areas from the national list (with history), filtered by level, current and q."""
    access.require(actor(request), "zones.view")
    return selectors.external_areas(filters={"level": level, "current": current, "q": q})


@router.get("/", response=list[ZoneOut])
@paginate(Pagination)
def list_zones(request, status: str | None = None, kind: str | None = None, district: str | None = None, q: str | None = None):
    """Zones in your area."""
    return selectors.zone_list(actor=actor(request), filters={"status": status, "kind": kind, "district": district, "q": q})


@router.get("/export", openapi_extra=DOWNLOAD)
def export_zones(request, status: str | None = None, kind: str | None = None, format: Literal["xlsx", "csv"] = "xlsx"):
    """Zones as Excel (or `format=csv`); audited."""
    return http_response(exports.zones_export(actor=actor(request), fmt=format, filters={"status": status, "kind": kind}))


@router.get("/map", response=ZoneMapOut)
def zone_map(request):
    """Active zones with centre, people and days remaining, for a map."""
    return selectors.map_data(actor=actor(request))


@router.post("/", response={201: ZoneOut})
def designate(request, payload: ZoneIn):
    """Designate a zone by picked units ({type, id} or {type: compound, community_id, name}) or a GeoJSON polygon."""
    zone = services.zone_designate(actor=actor(request), **payload.dict())
    return Status(201, zone)


@router.get("/{int:pk}", response=ZoneDetailOut)
def get_zone(request, pk: Id):
    """One zone with its summary (days remaining, needs, emergency contact) and lifecycle."""
    who = actor(request)
    zone = selectors.zone_get(actor=who, pk=pk)
    return {"zone": zone, "summary": selectors.zone_summary(zone=zone), "responsible": responsible_of("zone", zone),
            "events": list(selectors.zone_events(zone=zone).values("at", "verb", "status_from", "status_to", "kind_from", "kind_to", "note")[:100])}


@router.get("/{int:pk}/households", response=list[MemberOut])
@paginate(Pagination)
def zone_households(request, pk: Id):
    """The zone's households (masked addresses) with their responsible worker and needs."""
    who = actor(request)
    zone = selectors.zone_get(actor=who, pk=pk)
    return _Members(selectors.zone_members(actor=who, zone=zone), who)


class _Members:
    def __init__(self, qs, who):
        self.qs, self.who = qs, who

    def __getitem__(self, s):
        return selectors.member_rows(self.qs[s], actor=self.who)

    def count(self):
        return self.qs.count()


def _act(request, pk: Id, fn, **kw):
    who = actor(request)
    zone = selectors.zone_get(actor=who, pk=pk, action="change")
    return ZoneOut.from_orm(fn(actor=who, zone=zone, **kw)).dict()


@router.post("/{int:pk}/confirm", response=ZoneOut)
def confirm(request, pk: Id, payload: ZonesNoteIn):
    """Put a designated zone in force."""
    return _act(request, pk, services.zone_confirm, note=payload.note)


@router.post("/{int:pk}/cancel", response=ZoneOut)
def cancel(request, pk: Id, payload: ZonesNoteIn):
    """Reject a designated zone."""
    return _act(request, pk, services.zone_cancel, note=payload.note)


@router.post("/{int:pk}/lift", response=ZoneOut)
def lift(request, pk: Id, payload: ZonesNoteIn):
    """Lift (or lower) a zone; 409 naming each unmet criterion."""
    return _act(request, pk, services.zone_lift, note=payload.note)


@router.post("/{int:pk}/evaluate", response=ZoneOut)
def evaluate(request, pk: Id):
    """Re-check the zone's criteria now."""
    who = actor(request)
    zone = selectors.zone_get(actor=who, pk=pk, action="change")
    return ZoneOut.from_orm(services.zone_evaluate(zone=zone, actor=who)).dict()


@router.post("/{int:pk}/workers", response=ZonesAssignOut)
def assign_workers(request, pk: Id, payload: ZonesAssignIn):
    """Name the responsible worker for some households of the zone."""
    who = actor(request)
    zone = selectors.zone_get(actor=who, pk=pk, action="change")
    return {"updated": services.zone_assign_worker(actor=who, zone=zone, **payload.dict())}
