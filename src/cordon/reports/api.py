"""Reports API (under /api/v1/command/, beside the command operations): the latest metric snapshot and
the daily reports (.docx)."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cordon.command import selectors
from cordon.core.apikit import Id, actor
from cordon.core.pagination import MappedRows, Pagination
from cordon.reports import report_docx, services

MOUNT = "command"  # api.root mounts an app's router at /api/v1/<MOUNT>/ when it names one, else /api/v1/<label>/
router = Router(tags=["command"])


@router.get("/snapshot")
def snapshot(request, region: str | None = None):
    """The newest precomputed figures for your area (or a region inside it)."""
    snap = selectors.snapshot_latest(actor=actor(request), region_path=region)
    if snap is None:
        return {"cut_off": None, "region_path": region, "figures": {}}
    return {"cut_off": snap.cut_off, "region_path": snap.region_path, **snap.data}


class ReportIn(Schema):
    report_date: dt.date
    region_path: str = ""
    remarks: str = ""


def _report(r) -> dict:
    return {"id": r.pk, "report_date": r.report_date, "version": r.version, "number": r.number, "title": r.title,
            "region_path": r.region_path, "cut_off": r.cut_off, "figures": r.data.get("figures", {}), "remarks": r.remarks}


@router.get("/reports", response=list[dict])
@paginate(Pagination)
def list_reports(request):
    """Daily situation reports, every version kept."""
    return MappedRows(selectors.report_list(actor=actor(request)), _report)


@router.post("/reports", response={201: dict})
def generate_report(request, payload: ReportIn):
    """Generate (a new version of) the daily report for a day."""
    return Status(201, _report(services.report_generate(actor=actor(request), **payload.dict())))


@router.get("/reports/{int:pk}", response=dict)
def get_report(request, pk: Id):
    """One daily report."""
    return _report(selectors.report_get(actor=actor(request), pk=pk))


@router.get("/reports/{int:pk}/docx")
def report_docx_download(request, pk: Id):
    """The daily report as a Word document."""
    return report_docx.response(selectors.report_get(actor=actor(request), pk=pk))
