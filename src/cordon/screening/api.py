"""Mass-testing API: plan and publish rounds, bulk sample registration (idempotent batches of up to
10,000), tube receipt, lab results (JSON, CSV/Excel, HL7 v2 ORU^R01), retests, coverage and the
public result lookup."""

import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core import access, throttle
from cordon.core.apikit import Id, actor, idempotent
from cordon.core.errors import NotFound, ServiceError
from cordon.core.exports import http_response
from cordon.core.pagination import MappedRows, Pagination
from cordon.regions.models import Region
from cordon.screening import exports, metrics, selectors, services
from cordon.screening.enums import ROUND_LIFECYCLE

router = Router(tags=["screening"])


# A date-time the API takes: this century, so no window arithmetic overflows.
When = Annotated[dt.datetime, Field(ge=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2100, 12, 31, tzinfo=dt.UTC))]
# A tube barcode or a person's code as the columns hold them.
Code = Annotated[str, Field(max_length=64)]
Count = Annotated[int, Field(ge=1, le=1000)]


class RoundIn(Schema):
    name: str = Field(max_length=120)
    region: str = Field(max_length=255)  # region path or code
    starts_at: When
    ends_at: When
    pool_size: Count | None = None


class RoundOut(Schema):
    id: int
    name: str
    region_path: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    pool_size: int
    ruleset: str
    plan: dict
    next_statuses: list[str] = Field(description="the statuses it may move to next (its lifecycle); empty when final")

    @staticmethod
    def resolve_next_statuses(obj) -> list[str]:
        return list(ROUND_LIFECYCLE.allowed(obj["status"] if isinstance(obj, dict) else obj.status))


class SiteOut(Schema):
    id: int
    name: str
    region_path: str
    grid_paths: list[str]
    population: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    tables: int
    samplers: int
    pool_size: int
    zone_level: str
    active: bool


class ScreeningSiteIn(Schema):
    name: str | None = Field(None, max_length=120)
    opens_at: When | None = None
    closes_at: When | None = None
    tables: Count | None = None
    samplers: Count | None = None
    pool_size: Count | None = None
    active: bool | None = None


class SampleIn(Schema):
    person: str = Field(max_length=64)  # ID number or the person's QR token
    tube: Code
    site: Id
    sampled_at: When | None = None


class SamplesIn(Schema):
    items: list[SampleIn]  # at most 10,000: the service names a larger batch (400, field items)


class ScreeningResultIn(Schema):
    tube: Code
    result: str = Field(max_length=20)
    ct_orf1ab: float | None = None  # the service names a value outside 0-50 with its row
    ct_n: float | None = None
    lab: str = Field("", max_length=100)
    tested_at: When | None = None
    received_at: When | None = None


class ResultsIn(Schema):
    items: list[ScreeningResultIn] = Field(max_length=10_000)


class ReceiveIn(Schema):
    codes: list[Code] = Field(max_length=10_000)
    lab: str = Field("", max_length=100)


class TubeOut(Schema):
    id: int
    code: str
    round_id: Id
    site_id: Id
    capacity: int
    count: int
    status: str
    result: str
    is_retest: bool
    ct_orf1ab: float | None
    ct_n: float | None
    lab: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    received_at: dt.datetime | None
    tested_at: dt.datetime | None
    reported_at: dt.datetime | None


class RetestOut(Schema):
    id: int
    round_id: Id
    person_id: Id
    pool_tube: str
    status: str
    retest_tube: str | None
    task_id: Id | None
    case_id: Id | None


class RetestSampleIn(Schema):
    tube: Code
    site: Id | None = None


class RetestSampleRowIn(Schema):
    retest: Id
    tube: Code
    site: Id | None = None  # default: the site where the pool was sampled
    sampled_at: When | None = None  # default: now


class RetestSamplesIn(Schema):
    items: list[RetestSampleRowIn] = Field(max_length=10_000)


class RetestSampledOut(Schema):
    retest: int
    sample: int
    tube: str


class RetestSamplesOut(Schema):
    accepted: int
    items: list[RetestSampledOut]
    replayed: bool = False


class LookupIn(Schema):
    id_number: str = Field(max_length=32)
    phone: str = Field(max_length=32)


class ScreeningRoundHead(Schema):
    id: int
    name: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class ScreeningTotals(Schema):
    roster: int
    sampled: int
    missing: int
    coverage: float


class ScreeningTubePipeline(Schema):
    open: int
    in_transit: int
    at_lab: int
    tested: int
    total: int


class ScreeningStageHours(Schema):
    median: float | None
    p90: float | None
    n: int


class ScreeningTurnaround(Schema):
    to_lab: ScreeningStageHours
    in_lab: ScreeningStageHours
    to_report: ScreeningStageHours
    total: ScreeningStageHours


class ScreeningPositives(Schema):
    positive_pools: int
    held: int
    retest_pending: int
    retest_sampled: int
    retest_negative: int
    retest_positive: int
    positive_people: int


class ScreeningRoundDetailOut(Schema):
    round: ScreeningRoundHead
    responsible: CommandResponsibleOut | None = None
    totals: ScreeningTotals
    tubes: ScreeningTubePipeline
    turnaround: ScreeningTurnaround
    positives: ScreeningPositives
    plan: dict
    pool_size: int
    ruleset: str


class ScreeningTubeFill(Schema):
    count: int
    capacity: int
    status: str


class ScreeningSamplesOut(Schema):
    round: int
    accepted: int
    tubes_opened: int
    tubes: dict[str, ScreeningTubeFill]
    replayed: bool = False


class ScreeningReceiveOut(Schema):
    received: int
    already: int


class ScreeningResultsOut(Schema):
    tubes: int
    negative: int
    positive: int
    invalid: int
    held: int
    cases: int
    skipped: int
    corrected: int = 0
    replayed: bool = False


class ScreeningHl7MessageOut(Schema):
    message: int  # 1-based index in the body
    message_id: str  # MSH-10
    ack_code: Literal["AA", "AE", "AR"]
    errors: list[str]
    ack: str  # the HL7 ACK message (MSH, MSA, ERR segments, CR-separated)


class ScreeningHl7Out(ScreeningResultsOut):
    accepted: int
    refused: int
    messages: list[ScreeningHl7MessageOut]


class ScreeningCoverageRow(Schema):
    path: str
    name: str
    level: int
    roster: int
    sampled: int
    missing: int
    coverage: float


class ScreeningCoverageOut(Schema):
    totals: ScreeningTotals
    rows: list[ScreeningCoverageRow]


class ScreeningUnsampledPerson(Schema):
    person_id: int
    name: str
    id_number: str
    phone: str
    address: str


class ScreeningUnsampledOut(Schema):
    count: int
    items: list[ScreeningUnsampledPerson]


class ScreeningLookupResult(Schema):
    round: str
    sampled_at: dt.datetime
    result: str
    result_label: str
    reported_at: dt.datetime | None
    retest: bool


class ScreeningLookupOut(Schema):
    name: str
    results: list[ScreeningLookupResult]


# A download: the spreadsheet (or CSV with `format=csv`) core.exports writes.
SHEET = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {"responses": {200: {"description": "The rows as Excel, or CSV with `format=csv`.", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": SHEET, "text/csv": SHEET}}}}


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def list_rounds(request, status: str | None = None):
    """Rounds overlapping your area."""
    return selectors.round_list(actor=actor(request), filters={"status": status})


@router.post("/rounds", response={201: RoundOut})
def plan_round(request, payload: RoundIn):
    """Draft a round over a region: sites, pool sizes by zone, staffing and tubes from the rule set."""
    who = actor(request)
    region = _region(payload.region, who)
    rnd = services.round_plan(actor=who, name=payload.name, region=region, starts_at=payload.starts_at,
                              ends_at=payload.ends_at, pool_size=payload.pool_size)
    return Status(201, rnd)


def _region(value: str, who):
    """The region by path or code; another district's region answers exactly as an unknown one (404)."""
    region = Region.objects.filter(path=value).first() or Region.objects.filter(code=value).first()
    if region is None or not access.can(who, "screening.view", region.path):
        raise NotFound(_("unknown region %(value)r") % {"value": value}, fields=[{"field": "region", "message": _("unknown region")}])
    return region


@router.get("/rounds/{int:pk}", response=ScreeningRoundDetailOut)
def get_round(request, pk: Id):
    """A round with its figures (coverage, tubes by stage, turnaround, positives)."""
    who = actor(request)
    rnd = selectors.round_get(actor=who, pk=pk)
    return {**metrics.round_summary(rnd, actor=who), "plan": rnd.plan, "pool_size": rnd.pool_size, "ruleset": rnd.ruleset,
            "responsible": responsible_of("round", rnd)}


@router.post("/rounds/{int:pk}/publish", response=RoundOut)
def publish_round(request, pk: Id):
    """Publish a draft round: its sites open for sampling."""
    who = actor(request)
    return services.round_publish(actor=who, rnd=selectors.round_get(actor=who, pk=pk))


@router.post("/rounds/{int:pk}/close", response=RoundOut)
def close_round(request, pk: Id):
    """End sampling; open tubes are closed."""
    who = actor(request)
    return services.round_close(actor=who, rnd=selectors.round_get(actor=who, pk=pk))


@router.get("/rounds/{int:pk}/sites", response=list[SiteOut])
@paginate(Pagination)
def list_sites(request, pk: Id):
    """Sampling sites of a round inside your area."""
    who = actor(request)
    selectors.round_get(actor=who, pk=pk)
    return selectors.site_list(actor=who, round_id=pk)


@router.post("/sites/{int:pk}", response=SiteOut)
def update_site(request, pk: Id, payload: ScreeningSiteIn):
    """Adjust a site (hours, tables, samplers, pool size, active)."""
    who = actor(request)
    site = selectors.site_get(actor=who, pk=pk, action="change")
    return services.site_update(actor=who, site=site, **payload.dict(exclude_none=True))


@router.post("/rounds/{int:pk}/samples", response={201: ScreeningSamplesOut})
def register_samples(request, pk: Id, payload: SamplesIn):
    """Register up to 10,000 samples in one batch; send an Idempotency-Key so retries never store twice."""
    items = payload.model_dump()["items"]  # one call for the batch (10,000 rows), not one per row
    return idempotent(request, scope=f"screening.samples.{pk}", payload=items,
                      fn=lambda: (201, services.samples_register(actor=actor(request), round_id=pk, items=items)))


@router.post("/tubes/{code}/close", response=TubeOut)
def close_tube(request, code: str):
    """Close a tube by hand before it is full."""
    return services.tube_close(actor=actor(request), code=code)


@router.post("/tubes/receive", response=ScreeningReceiveOut)
def receive_tubes(request, payload: ReceiveIn):
    """A lab scans tubes in on arrival."""
    return services.tubes_receive(actor=actor(request), codes=payload.codes, lab=payload.lab)


@router.get("/tubes", response=list[TubeOut])
@paginate(Pagination)
def list_tubes(request, round: Id | None = None, status: str | None = None, result: str | None = None,
               code: str | None = None):
    """Tubes inside your area, filtered."""
    return selectors.tube_list(actor=actor(request), filters={"round": round, "status": status, "result": result, "code": code})


class ScreeningLabResultOut(Schema):
    id: int
    source: str
    message_id: str
    loinc: str
    method: str
    value: str
    result: str
    status: str
    ct_orf1ab: float | None
    ct_n: float | None
    lab: str
    tested_at: dt.datetime | None
    received_at: dt.datetime
    current: bool


class ScreeningTubeResultsOut(Schema):
    tube: TubeOut
    results: list[ScreeningLabResultOut]


@router.get("/tubes/{code}/results", response=ScreeningTubeResultsOut)
def tube_results(request, code: str):
    """A tube and every result a lab sent for it, oldest first (a corrected result keeps the one it replaced)."""
    tube, rows = selectors.tube_results(actor=actor(request), code=code)
    return {"tube": tube, "results": list(rows)}


@router.post("/results", response={201: ScreeningResultsOut})
def post_results(request, payload: ResultsIn):
    """Tube results as JSON (idempotent with an Idempotency-Key); errors name row and field."""
    items = [{"row": n, **i.dict()} for n, i in enumerate(payload.items, 1)]
    return idempotent(request, scope="screening.results", payload=items,
                      fn=lambda: (201, services.results_apply(actor=actor(request), items=items, source="api")))


@router.post("/results/import", response=ScreeningResultsOut)
def import_results(request, file: File[UploadedFile], lab: Annotated[str, Field(max_length=100)] = ""):
    """Tube results from a CSV/Excel file (tube, result, ct_orf1ab, ct_n, lab, tested_at): atomic."""
    return services.results_import(actor=actor(request), data=file.read(), filename=file.name, lab=lab)


@router.post("/results/hl7", response=ScreeningHl7Out)
def import_hl7(request):
    """Tube results as HL7 v2 ORU^R01 (ELR): the raw text is the request body (Content-Type text/plain or
    x-application/hl7-v2+er7), MLLP-framed or not, CR/LF/CRLF, FHS/BHS batches or several messages. Each message
    is answered with an HL7 ACK (AA accepted, AE refused with errors, AR rejected); the accepted ones are applied.
    400 when no message is accepted."""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError.field("message", _("the body is not UTF-8 text"))
    return services.results_import_hl7(actor=actor(request), message=text)


@router.get("/retests", response=list[RetestOut])
@paginate(Pagination)
def list_retests(request, round: Id | None = None, status: str | None = None):
    """Single-tube retests of positive-pool members inside your area."""
    return MappedRows(selectors.retest_list(actor=actor(request), filters={"round": round, "status": status}), _retest_out)




def _retest_out(r):
    return {"id": r.pk, "round_id": r.round_id, "person_id": r.person_id, "pool_tube": r.pool_tube.code, "status": r.status,
            "retest_tube": r.retest_sample.tube.code if r.retest_sample_id else None, "task_id": r.task_id, "case_id": r.case_id}


@router.post("/retests/{int:pk}/sample", response={201: RetestOut})
def retest_sample(request, pk: Id, payload: RetestSampleIn):
    """Take the single-tube retest sample of a held pool member."""
    who = actor(request)
    retest = selectors.retest_get(actor=who, pk=pk)
    services.retest_register(actor=who, retest=retest, tube=payload.tube, site_id=payload.site)
    return Status(201, _retest_out(selectors.retest_get(actor=who, pk=pk)))


@router.post("/retests/samples", response={201: RetestSamplesOut})
def retest_samples(request, payload: RetestSamplesIn):
    """Take many held pool members' single-tube retest samples at once (a sampler's phone uploading its round of visits):
    every row is checked and nothing is stored when one is refused (400 naming each row and field). Send an
    Idempotency-Key so retries never store twice."""
    items = payload.model_dump()["items"]

    def write():
        samples = services.retests_register(actor=actor(request), items=items)
        return 201, {"accepted": len(samples), "items": [{"retest": it["retest"], "sample": s.pk, "tube": s.tube.code}
                                                         for it, s in zip(items, samples, strict=True)]}
    return idempotent(request, scope="screening.retests.samples", payload=items, fn=write)


@router.get("/rounds/{int:pk}/coverage", response=ScreeningCoverageOut)
def round_coverage(request, pk: Id, level: Annotated[int, Field(ge=2, le=5)] = 2, parent: str | None = None):
    """Roster vs sampled per district (2), street (3), community (4) or grid (5)."""
    who = actor(request)
    if level not in metrics.LEVEL_NAMES:
        raise ServiceError.field("level", _("must be 2 (district) to 5 (grid)"))
    rnd = selectors.round_get(actor=who, pk=pk)
    return {"totals": metrics.totals(rnd, actor=who), "rows": metrics.coverage(rnd, level=level, parent=parent, actor=who)}


@router.get("/rounds/{int:pk}/unsampled", response=ScreeningUnsampledOut, openapi_extra=DOWNLOAD)
def round_unsampled(request, pk: Id, grid: str, export: bool = False, format: Literal["xlsx", "csv"] = "xlsx", unmask: bool = False):
    """Residents of a grid not yet sampled in the round (masked); `export=true` gives Excel (or `format=csv`), audited."""
    who = actor(request)
    rnd = selectors.round_get(actor=who, pk=pk)
    if export:
        return http_response(exports.unsampled_export(actor=who, rnd=rnd, grid_path=grid, fmt=format, unmask=unmask))
    rows = services.unsampled_rows(actor=who, rnd=rnd, grid_path=grid)
    return {"count": len(rows), "items": rows[:2000]}


@router.post("/lookup", auth=None, response=ScreeningLookupOut)
def lookup(request, payload: LookupIn):
    """Public: a resident's own results by ID number and phone (rate-limited; no login)."""
    if not services.lookup_allowed(address=throttle.client_address(request), id_number=payload.id_number):
        raise ServiceError(_("too many lookups, try again in %(lookup_window_minutes)s minutes") % {"lookup_window_minutes": throttle.lookup_window_minutes()},
                           code="rate_limited", status=429)
    found = selectors.result_lookup(id_number=payload.id_number, phone=payload.phone)
    if found is None:
        raise NotFound(_("no results for this ID number and phone"), fields=[{"field": "id_number", "message": _("no match")}])
    return found
