from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from cordon.core.pages import list_page
from cordon.sim import charts, exports, selectors, services
from cordon.sim.kpis import KPI_LABELS


def _kpi_rows(kpis: dict) -> list[tuple[str, object]]:
    return [(label, kpis[key]) for key, label in KPI_LABELS if key in kpis]


@login_required
def index(request):
    services.runs_sync(actor=request.user)
    return list_page(request, "sim/index.html", rows=lambda f: selectors.run_list(actor=request.user, filters=f),
                     export=lambda fmt, filters: exports.runs_export(actor=request.user, fmt=fmt, filters=filters),
                     context=lambda listed: {"kind": listed["filters"].get("kind", "")})


@login_required
def detail(request, run_id):
    run = selectors.run_get(actor=request.user, run_id=run_id)
    if run.kind == "compare":
        labels = list(run.kpis)
        keys = [(k, lb) for k, lb in KPI_LABELS if any(k in run.kpis[x] for x in labels)]
        table = [(lb, [run.kpis[x].get(k) for x in labels]) for k, lb in keys]
        option = charts.compare_option(run.series)
        return render(request, "sim/detail.html", {"run": run, "labels": labels, "table": table, "option": option})
    return render(request, "sim/detail.html", {"run": run, "rows": _kpi_rows(run.kpis),
                                               "option": charts.epidemic_option(run.series)})


@login_required
def chart(request, run_id, name):
    path = selectors.chart_path(actor=request.user, run_id=run_id, name=name)
    return FileResponse(open(path, "rb"), content_type="image/png")
