"""Report screens: the command dashboard (大屏, reads only precomputed snapshots) and the daily reports.
Mounted under /command/ with the command screens (reports.urls.MOUNT)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.command import forms as command_forms
from cordon.command import selectors
from cordon.core import access, audit, clock, policy
from cordon.core.forms import REFUSED
from cordon.core.pages import page_of
from cordon.regions import selectors as region_selectors
from cordon.reports import charts, forms, jobs, metrics, report_docx, services

SNAPSHOT_STALE = dt.timedelta(minutes=10)


def _refresh_if_stale(snap) -> None:
    """Queue the snapshot job when the newest snapshot is old (at most once every few minutes)."""
    if snap is not None and clock.now() - snap.cut_off < SNAPSHOT_STALE:
        return
    if cache.add("command:snapshot-queued", 1, 300):
        transaction.on_commit(lambda: jobs.snapshot_metrics.enqueue())


def _alerts(f: dict, low: list | None = None) -> list[tuple[str, str]]:
    alerts = []
    if f.get("cases_new"):
        alerts.append(("red", _("%(n)s new infections in the last 24 hours") % {"n": f["cases_new"]}))
    if f.get("tasks_overdue"):
        alerts.append(("red", _("%(n)s tasks overdue") % {"n": f["tasks_overdue"]}))
    if f.get("ledger_overdue"):
        alerts.append(("yellow", _("%(n)s ledger items past their rectification deadline") % {"n": f["ledger_overdue"]}))
    if f.get("emergencies_open"):
        alerts.append(("red", _("%(n)s emergency requests open") % {"n": f["emergencies_open"]}))
    if f.get("supply_low_lines"):
        names = "、".join(f"{r['warehouse']} {r['item']} ({r['days']})" for r in (low or [])[:3])
        alerts.append(("red", _("%(n)s supply lines below their safety days, shortest %(days)s days: %(names)s")
                       % {"n": f["supply_low_lines"], "days": f.get("supply_min_days"), "names": names}))
    return alerts


@login_required
def index(request):
    access.require(request.user, "command.view")
    path = forms.DashboardForm(request.GET).region_path()
    snap = selectors.snapshot_latest(actor=request.user, region_path=path)
    _refresh_if_stale(snap)
    ctx = {"snap": snap, "figures": [], "late": {}, "alerts": []}
    if snap is not None:
        data = snap.data
        f = data["figures"]
        zh = request.LANGUAGE_CODE.startswith("zh")
        ctx["figures"] = [{"key": k, "label": label_zh if zh else label_en, "value": f.get(k)}
                          for k, (label_zh, label_en) in metrics.FIGURES.items()]
        ctx["late"] = data.get("late", {})
        ctx["trend_option"] = charts.trend(data.get("trend", {}), cases_label=_("New infections"), contacts_label=_("New close contacts"))
        layers = data.get("map", {}).get("districts", [])
        outlines = {d["path"]: d["boundary"] for d in region_selectors.city_map()["districts"]}
        ctx["map_data"] = {"districts": [{"name": d["name"], "population": d.get("cases_total") or 0, "boundary": outlines.get(d["path"])}
                                         for d in layers]}
        ctx["bars_option"] = charts.district_bars(layers, labels={"cases_total": _("Infections"), "zones": _("Zones"), "sites": _("Quarantine sites")})
        ctx["layers"] = layers
        ctx["alerts"] = _alerts(f, data.get("supply_low"))
        ctx["stale"] = clock.now() - snap.cut_off > SNAPSHOT_STALE
    ctx["can_refresh"] = access.can(request.user, "command.change")
    return render(request, "reports/index.html", ctx)


@login_required
@require_POST
def refresh(request):
    access.require(request.user, "command.change")
    transaction.on_commit(lambda: jobs.snapshot_metrics.enqueue())
    messages.success(request, _("The figures are being recomputed; reload in a moment."))
    return redirect("reports:index")


# --- daily reports -------------------------------------------------------------------------------------------

@login_required
def reports(request):
    access.require(request.user, "command.view")
    if request.method == "POST":
        r = forms.ReportForm(request.POST).submit(request, lambda region_path, **data: services.report_generate(
            actor=request.user, region_path=region_path or selectors.home_region_path(actor=request.user), **data),
            success=_("Report generated."))
        if r is not REFUSED:
            return redirect("reports:report", pk=r.pk)
    return render(request, "reports/reports.html", {
        "page": page_of(request, selectors.report_list(actor=request.user)), "yesterday": clock.today() - dt.timedelta(days=1),
        "home": selectors.home_region_path(actor=request.user), "can_change": access.can(request.user, "command.change")})


@login_required
def report(request, pk: int):
    r = selectors.report_get(actor=request.user, pk=pk)
    f = r.data.get("figures", {})
    zh = request.LANGUAGE_CODE.startswith("zh")
    sections = [(heading, [(metrics.FIGURES[k][0 if zh else 1], f.get(k)) for k in keys]) for heading, keys in report_docx.SECTIONS]
    return render(request, "reports/report.html", {"r": r, "sections": sections, "late": r.data.get("late", {}),
                                                   "versions": selectors.report_list(actor=request.user, region_path=r.region_path)
                                                   .filter(report_date=r.report_date)})


@login_required
def report_docx_view(request, pk: int):
    return report_docx.response(selectors.report_get(actor=request.user, pk=pk))


@login_required
def accountability_docx(request):
    """The accountability report per unit and period (the command page's figures) as a .docx, audited as an export."""
    access.require(request.user, "command.view")
    v = command_forms.AccountabilityForm(request.GET).read(request)
    rows = selectors.accountability_report(actor=request.user, start=v["start"], end=v["end"], by=v["by"])
    home = selectors.home_region_path(actor=request.user)
    region = region_selectors.region_list(actor=request.user).filter(path=home).values_list("name", flat=True).first() or ""
    issuer = f"{region}{policy.in_force().get('command.report_issuer', '疫情防控指挥部')}"
    data = report_docx.accountability(rows=rows, start=v["start"], end=v["end"], issuer=issuer,
                                      unit="区" if v["by"] == "district" else "街道", issued_on=clock.today())
    audit.record(request.user, "accountability.export", object_type="command.ledgeritem",
                 changes={"start": v["start"], "end": v["end"], "by": v["by"], "rows": len(rows), "format": "docx"})
    out = HttpResponse(data, content_type=report_docx.DOCX)
    out["Content-Disposition"] = f'attachment; filename="accountability-{v["start"]}-{v["end"]}.docx"'
    return out
