"""Reports API (under /api/v1/command/, beside the command operations): the latest metric snapshot and
the daily reports (.docx)."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.command import selectors
from cordon.core.apikit import Day, Id, actor
from cordon.core.pagination import MappedRows, Pagination
from cordon.reports import report_docx, services

MOUNT = "command"  # api.root mounts an app's router at /api/v1/<MOUNT>/ when it names one, else /api/v1/<label>/
router = Router(tags=["command"])

# A figure's value (reports.metrics.FIGURES): a count, a percentage or days, None when it cannot be computed.
Figures = dict[str, int | float | None]
DOCX_CONTENT = {report_docx.DOCX: {"schema": {"type": "string", "format": "binary"}}}


class ReportsTrendOut(Schema):
    dates: list[str]
    cases: list[int]
    contacts: list[int]


class ReportsLateTaskOut(Schema):
    id: int
    title: str
    owner: str
    owner_id: int | None
    post: str = Field("", description="the owner's post: unit and role (永安街道 街道干部)")
    deadline: str
    hours_late: float
    priority: int
    escalation_level: int
    region_path: str


class ReportsLateItemOut(Schema):
    id: int
    title: str
    owner: str
    owner_id: int | None
    post: str = Field("", description="the owner's post: unit and role")
    deadline: str
    severity: str
    public: bool
    region_path: str


class ReportsLateOut(Schema):
    tasks: list[ReportsLateTaskOut] = []
    ledger: list[ReportsLateItemOut] = []


class ReportsMapDistrictOut(Schema):
    name: str
    path: str
    lon: float | None
    lat: float | None
    cases_total: int | None
    cases_new: int | None
    zones: int | None
    sites: int | None


class ReportsMapOut(Schema):
    districts: list[ReportsMapDistrictOut] = []


class ReportsSnapshotOut(Schema):
    cut_off: dt.datetime | None = Field(description="None when no snapshot was taken yet")
    region_path: str | None
    figures: Figures
    trend: ReportsTrendOut | None = None
    late: ReportsLateOut | None = None
    map: ReportsMapOut | None = None


@router.get("/snapshot", response=ReportsSnapshotOut)
def snapshot(request, region: str | None = None):
    """The newest precomputed figures for your area (or a region inside it)."""
    snap = selectors.snapshot_latest(actor=actor(request), region_path=region)
    if snap is None:
        return {"cut_off": None, "region_path": region, "figures": {}}
    return {"cut_off": snap.cut_off, "region_path": snap.region_path, **snap.data}


class ReportIn(Schema):
    report_date: Day
    region_path: str = Field("", max_length=100)
    remarks: str = Field("", max_length=5000)


class ReportsDailyOut(Schema):
    id: int
    report_date: dt.date
    version: int
    number: str
    title: str
    region_path: str
    cut_off: dt.datetime
    figures: Figures
    remarks: str


def _report(r) -> dict:
    return {"id": r.pk, "report_date": r.report_date, "version": r.version, "number": r.number, "title": r.title,
            "region_path": r.region_path, "cut_off": r.cut_off, "figures": r.data.get("figures", {}), "remarks": r.remarks}


@router.get("/reports", response=list[ReportsDailyOut])
@paginate(Pagination)
def list_reports(request):
    """Daily situation reports, every version kept."""
    return MappedRows(selectors.report_list(actor=actor(request)), _report)


@router.post("/reports", response={201: ReportsDailyOut})
def generate_report(request, payload: ReportIn):
    """Generate (a new version of) the daily report for a day."""
    return Status(201, _report(services.report_generate(actor=actor(request), **payload.dict())))


@router.get("/reports/{int:pk}", response=ReportsDailyOut)
def get_report(request, pk: Id):
    """One daily report."""
    return _report(selectors.report_get(actor=actor(request), pk=pk))


@router.get("/reports/{int:pk}/docx", openapi_extra={"responses": {200: {"description": "The report as a Word document (.docx)",
                                                                          "content": DOCX_CONTENT}}})
def report_docx_download(request, pk: Id):
    """The daily report as a Word document."""
    return report_docx.response(selectors.report_get(actor=actor(request), pk=pk))
