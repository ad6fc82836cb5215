"""Cases API: report, investigation, trajectory, named contacts, timeline, chains and clusters.

POST /cases/{pk}/identify (run contact identification again) is contacts' work: contacts.api adds it to this router."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.cases import charts, rules, selectors, services
from cordon.cases.enums import CASE_LIFECYCLE
from cordon.core import pii
from cordon.core.apikit import Day, Days, Id, NextStatuses, Rows, actor, idempotent
from cordon.core.pagination import MappedRows, Pagination

router = Router(tags=["cases"])


class CaseIn(Schema):
    person_id: Id
    kind: str = Field(max_length=16)
    found_by: str = Field(max_length=16)
    severity: str = Field("", max_length=10)
    confirmed_at: dt.datetime | None = None
    onset_date: Day | None = None
    sampled_at: dt.datetime | None = None
    source: str = Field("", max_length=80)


class CaseOut(Schema):
    id: int
    person_id: Id
    name: str
    kind: str
    status: str
    next_statuses: NextStatuses
    found_by: str
    severity: str
    onset_date: dt.date | None
    sampled_at: dt.datetime | None
    confirmed_at: dt.datetime
    infector_id: Id | None
    grid_path: str
    identified_at: dt.datetime | None
    general_contacts: int = 0


class CaseWindowOut(Schema):
    start: dt.datetime
    end: dt.datetime


class CaseClockStepOut(Schema):
    """One step of the 2 h / 4 h / 24 h clock: its deadline, when it was done, overdue now or done late."""

    step: str
    deadline: dt.datetime
    done_at: dt.datetime | None
    overdue: bool
    late: bool
    minutes_left: int | None


class CaseEventOut(Schema):
    at: dt.datetime
    status: str
    note: str


class CaseStayOut(Schema):
    id: int
    kind: str
    venue_id: int | None
    venue__code: str | None
    unit__name: str | None
    place: str
    time_in: dt.datetime
    time_out: dt.datetime
    vehicle: str
    seat: str
    note: str


class CaseNamedContactOut(Schema):
    person_id: int
    name: str
    setting: str
    protection: str
    last_exposure: dt.datetime


class CaseDetailOut(CaseOut):
    symptoms: str
    test_history: str
    notes: str
    isolated_at: dt.datetime | None
    last_negative_at: dt.datetime | None
    window: CaseWindowOut
    clock: list[CaseClockStepOut]
    timeline: list[CaseEventOut]
    stays: list[CaseStayOut]
    named_contacts: list[CaseNamedContactOut]


class CaseLinkOut(Schema):
    """An edge between two cases: infector, household, close_contact, vehicle or venue."""

    source: int
    target: int
    kind: str


class CaseClusterSummaryOut(Schema):
    id: int
    size: int
    case_ids: list[int]
    first: dt.datetime
    last: dt.datetime
    generations: dict[int, int]
    edges: list[CaseLinkOut]


class CaseClusterChartOut(Schema):
    """A complete ECharts option (a force-directed graph of the cluster)."""

    tooltip: dict
    legend: list[dict]
    series: list[dict]


class CaseClusterOut(Schema):
    id: int
    size: int
    case_ids: list[int]
    generations: dict[int, int]
    edges: list[CaseLinkOut]
    chart: CaseClusterChartOut


class CaseInfectorOut(Schema):
    case_id: int
    days_before: int
    exposure: str
    probability: float


class CaseStaysAddedOut(Schema):
    added: int
    skipped: int
    replayed: bool = False


class CaseNamedAddedOut(Schema):
    added: int
    updated: int
    replayed: bool = False


def _out(case) -> dict:
    return {"id": case.pk, "person_id": case.person_id, "name": pii.mask_name(case.person.name), "kind": case.kind,
            "status": case.status, "next_statuses": list(CASE_LIFECYCLE.allowed(case.status)), "found_by": case.found_by, "severity": case.severity, "onset_date": case.onset_date,
            "sampled_at": case.sampled_at, "confirmed_at": case.confirmed_at, "infector_id": case.infector_id,
            "grid_path": case.region_path, "identified_at": case.identified_at, "general_contacts": case.general_contacts}


@router.get("/", response=list[CaseOut])
@paginate(Pagination)
def list_cases(request, status: str | None = None, kind: str | None = None, region: str | None = None, q: str | None = None):
    """Cases in your jurisdiction, newest first (names masked)."""
    return MappedRows(selectors.case_list(actor=actor(request), filters={"status": status, "kind": kind, "region": region, "q": q}), _out)


@router.post("/", response={201: CaseOut})
def report_case(request, payload: CaseIn):
    """Report a case; a repeat with the same `source` returns the same case."""
    case = services.case_report(actor=actor(request), **payload.dict())
    return Status(201, _out(case))


@router.get("/clusters", response=list[CaseClusterSummaryOut])
def list_clusters(request, days: Days = 60):
    """Clusters of cases in your jurisdiction (linked by infector, household, contact, venue or trip)."""
    return [{"id": c["id"], "size": c["size"], "case_ids": [x.pk for x in c["cases"]], "first": c["first"], "last": c["last"],
             "generations": c["generations"], "edges": c["edges"]} for c in selectors.clusters(actor=actor(request), days=days)]


@router.get("/{int:pk}", response=CaseDetailOut)
def get_case(request, pk: Id):
    """One case with its clock, timeline, trajectory and named contacts."""
    who = actor(request)
    case = selectors.case_get(actor=who, pk=pk)
    start, end = selectors.case_window(case)
    return {**_out(case), "symptoms": case.symptoms, "test_history": case.test_history, "notes": case.notes,
            "isolated_at": case.isolated_at, "last_negative_at": case.last_negative_at, "window": {"start": start, "end": end},
            "clock": selectors.case_clock(case),
            "timeline": list(case.events.values("at", "status", "note")),
            "stays": list(case.stays.values("id", "kind", "venue_id", "venue__code", "unit__name", "place", "time_in", "time_out", "vehicle", "seat", "note")),
            "named_contacts": [{"person_id": n.person_id, "name": pii.mask_name(n.person.name), "setting": n.setting,
                                "protection": n.protection, "last_exposure": n.last_exposure} for n in case.named_contacts.select_related("person")]}


class CaseInvestigationIn(Schema):
    symptoms: str | None = Field(None, max_length=300)
    test_history: str | None = Field(None, max_length=10000)
    notes: str | None = Field(None, max_length=10000)
    severity: str | None = Field(None, max_length=10)
    onset_date: Day | None = None
    sampled_at: dt.datetime | None = None
    isolated_at: dt.datetime | None = None
    last_negative_at: dt.datetime | None = None


@router.patch("/{int:pk}", response=CaseOut)
def update_case(request, pk: Id, payload: CaseInvestigationIn):
    """Edit the investigation form; only the fields sent change."""
    who = actor(request)
    case = selectors.case_get(actor=who, pk=pk, action="change")
    services.case_update(actor=who, case=case, **payload.dict(exclude_unset=True))
    return _out(case)


class CaseStayIn(Schema):
    kind: str = Field("place", max_length=10)
    venue_code: str = Field("", max_length=32)
    unit: str = Field("", max_length=60)
    place: str = Field("", max_length=200)
    time_in: dt.datetime
    time_out: dt.datetime
    vehicle: str = Field("", max_length=40)
    seat: str = Field("", max_length=20)
    note: str = Field("", max_length=200)


class CaseStaysIn(Schema):
    items: Rows[CaseStayIn]


def _add_items(request, pk: int, payload, *, scope: str, add):
    """Rows added to a case the actor may change, all or nothing; a repeated Idempotency-Key answers as before."""
    who = actor(request)
    case = selectors.case_get(actor=who, pk=pk, action="change")
    items = [i.dict() for i in payload.items]
    return idempotent(request, scope=f"cases.{scope}.{pk}", payload=payload.dict(),
                      fn=lambda: (201, add(actor=who, case=case, items=items)))


@router.post("/{int:pk}/stays", response={201: CaseStaysAddedOut})
def add_stays(request, pk: Id, payload: CaseStaysIn):
    """Add trajectory entries (all or nothing; Idempotency-Key honoured; exact repeats skipped)."""
    return _add_items(request, pk, payload, scope="stays", add=services.stays_add)


@router.delete("/{int:pk}/stays/{int:stay_id}", response={204: None})
def delete_stay(request, pk: Id, stay_id: Id):
    """Remove one trajectory entry."""
    who = actor(request)
    services.stay_delete(actor=who, case=selectors.case_get(actor=who, pk=pk, action="change"), stay_id=stay_id)
    return Status(204, None)


class CaseNamedIn(Schema):
    person_id: Id | None = None
    id_number: str = Field("", max_length=18)
    setting: str = Field(max_length=40)
    protection: str = Field("", max_length=40)
    last_exposure: dt.datetime
    note: str = Field("", max_length=200)


class CaseNamedListIn(Schema):
    items: Rows[CaseNamedIn]


@router.post("/{int:pk}/contacts", response={201: CaseNamedAddedOut})
def add_named_contacts(request, pk: Id, payload: CaseNamedListIn):
    """Record contacts the case named (Idempotency-Key honoured; a repeat updates instead of duplicating)."""
    return _add_items(request, pk, payload, scope="named", add=services.named_contacts_add)


class CaseAdvanceIn(Schema):
    status: str = Field(max_length=16)
    note: str = Field("", max_length=200)


@router.post("/{int:pk}/advance", response=CaseOut)
def advance_case(request, pk: Id, payload: CaseAdvanceIn):
    """Move the case forward on its timeline."""
    who = actor(request)
    return _out(services.case_advance(actor=who, case=selectors.case_get(actor=who, pk=pk, action="change"), **payload.dict()))


@router.get("/{int:pk}/infectors", response=list[CaseInfectorOut])
def probable_infectors(request, pk: Id):
    """Earlier cases sharing an exposure, ranked by serial-interval weight."""
    who = actor(request)
    case = selectors.case_get(actor=who, pk=pk)
    return [{"case_id": c["case_id"], "days_before": c["days_before"], "exposure": c["exposure"], "probability": c["probability"]}
            for c in selectors.probable_infectors(actor=who, case=case)]


class CaseInfectorIn(Schema):
    infector_id: Id | None


@router.post("/{int:pk}/infector", response=CaseOut)
def link_infector(request, pk: Id, payload: CaseInfectorIn):
    """Set (or clear with null) who infected this case."""
    who = actor(request)
    if payload.infector_id:
        selectors.case_get(actor=who, pk=payload.infector_id)
    return _out(services.case_link_infector(actor=who, case=selectors.case_get(actor=who, pk=pk, action="change"),
                                            infector_id=payload.infector_id))


@router.get("/{int:pk}/cluster", response=CaseClusterOut)
def cluster(request, pk: Id):
    """The cluster this case belongs to, with an ECharts graph option and counts per generation."""
    who = actor(request)
    c = selectors.cluster_get(actor=who, pk=pk)
    gens = rules.generations({x.pk: x.infector_id for x in c["cases"]})
    return {"id": c["id"], "size": c["size"], "case_ids": [x.pk for x in c["cases"]], "generations": c["generations"],
            "edges": c["edges"], "chart": charts.cluster_graph(c, generations=gens)}
