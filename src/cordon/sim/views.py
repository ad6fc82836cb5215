from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import list_page
from cordon.sim import charts, drills, exports, forms, report, scenarios, selectors, services
from cordon.sim.kpis import KPI_LABELS


def _kpi_rows(kpis: dict) -> list[tuple[str, object]]:
    return [(_(label), kpis[key]) for key, label in KPI_LABELS if key in kpis]


@login_required
def index(request):
    services.runs_sync(actor=request.user)
    return list_page(request, "sim/index.html", rows=lambda f: selectors.run_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.runs_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {"kind": listed["filters"].get("kind", ""),
                                             "can_drill": access.can(request.user, drills.PERM)})


@login_required
def detail(request, run_id):
    run = selectors.run_get(actor=request.user, run_id=run_id)
    if run.kind == "compare":
        labels = list(run.kpis)
        keys = [(k, _(lb)) for k, lb in KPI_LABELS if any(k in run.kpis[x] for x in labels)]
        table = [(lb, [run.kpis[x].get(k) for x in labels]) for k, lb in keys]
        option = charts.compare_option(run.series)
        return render(request, "sim/detail.html", {"run": run, "labels": labels, "table": table, "option": option})
    return render(request, "sim/detail.html", {"run": run, "rows": _kpi_rows(run.kpis), "m": report.measurement(run.kpis),
                                               "option": charts.epidemic_option(run.series)})


@login_required
def chart(request, run_id, name):
    path = selectors.chart_path(actor=request.user, run_id=run_id, name=name)
    return FileResponse(open(path, "rb"), content_type="image/png")


# ---------------------------------------------------------------------------------------------------- drills
@login_required
def drills_page(request):
    """The HQ's drills: start one (scenario, city size, days, seed, response on or off) and the recent ones."""
    access.require(request.user, drills.PERM)
    form = forms.DrillForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        drill = form.submit(request, lambda **data: drills.drill_start(actor=request.user, **data),
                            success=_("Drill started; it runs in the background."))
        if drill is not REFUSED:
            return redirect("sim:drill", run_id=drill.run_id)
    recent = selectors.drill_list(actor=request.user)[:20]
    measured = [{**m, "bottleneck": report.RESOURCE_LABELS.get(m["bottleneck"], m["bottleneck"]),
                 "weakest": report.SETTING_LABELS.get(m["weakest"], m["weakest"])}
                for m in selectors.measured_runs(actor=request.user)]
    return render(request, "sim/drills.html", {"form": form, "drills": recent, "scenarios": scenarios.SCENARIOS,
                                               "measured": measured})


def _drill_context(request, drill) -> dict:
    run = selectors.drill_result(drill)
    return {"drill": drill, "progress": selectors.drill_progress(drill), "run": run,
            "scenario": scenarios.BY_CODE.get(drill.scenario), "m": report.measurement(run.kpis) if run else None,
            "table": [(_(label), mine, live) for label, mine, live in selectors.comparison(actor=request.user, run=run)]
            if run else []}


@login_required
def drill(request, run_id):
    """One drill: its progress (polled while it runs) and, when done, its KPIs next to the real city's."""
    d = selectors.drill_get(actor=request.user, run_id=run_id)
    return render(request, "sim/drill.html", _drill_context(request, d))


@login_required
def drill_progress(request, run_id):
    """The progress panel alone (htmx polls it every few seconds while the drill runs)."""
    d = selectors.drill_get(actor=request.user, run_id=run_id)
    return render(request, "sim/_drill_progress.html", _drill_context(request, d))


@login_required
@require_POST
def drill_cancel(request, run_id):
    d = selectors.drill_get(actor=request.user, run_id=run_id)
    perform(request, lambda: drills.drill_cancel(actor=request.user, drill=d), success=_("Drill cancelled."))
    return redirect("sim:drill", run_id=d.run_id)
