import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.core.forms import perform
from cordon.core.pages import page_of
from cordon.regions import selectors as region_selectors
from cordon.surveillance import charts, forms, selectors, services
from cordon.surveillance.models import StreamKind


@login_required
def index(request):
    access.require(request.user, "surveillance.view")
    districts = list(region_selectors.region_list(actor=request.user, level=2))
    if not districts:
        districts = [r for r in region_selectors.region_list(actor=request.user) if r.level >= 2][:1]
    shown = forms.ViewForm(request.GET).shown()
    path = shown["region"] or (districts[0].path if districts else "")
    stream = shown["stream"]
    since = clock.today() - dt.timedelta(days=180)
    obs = list(selectors.observation_list(actor=request.user, filters={"stream": stream, "region": path, "since": since})
               .values_list("date", "count"))
    sigs = [{"date": s.date.isoformat(), "observed": s.observed, "method": s.method}
            for s in selectors.signal_list(actor=request.user, filters={"stream": stream, "region": path, "since": since})]
    rt_rows = selectors.rt_series_shown(actor=request.user, region_path=path)
    rt_latest = selectors.rt_latest(actor=request.user)
    fc = selectors.forecast_latest(actor=request.user, region_path=path).first()
    signals = selectors.signal_list(actor=request.user, filters={"status": shown["status"]})
    return render(request, "surveillance/index.html", {
        "districts": districts, "path": path, "stream": stream, "streams": StreamKind.choices,
        "stream_chart": charts.stream_chart([d.isoformat() for d, _ in obs], [c for _, c in obs], sigs),
        "rt_chart": charts.rt_chart(rt_rows) if rt_rows else None, "rt_latest": rt_latest,
        "rt_summary": selectors.rt_summary(rt_latest),
        "forecast": fc, "forecast_chart": charts.forecast_chart(fc.days) if fc else None,
        "page": page_of(request, signals), "can_change": access.can(request.user, "surveillance.change", path or None),
    })


@login_required
def triage(request, pk: int):
    if request.method != "POST":
        return redirect("surveillance:index")
    signal = selectors.signal_get(actor=request.user, pk=pk, action="change")
    forms.TriageForm(request.POST).submit(
        request, lambda **data: services.signal_triage(actor=request.user, signal=signal, **data),
        success=_("Signal triaged."))
    return redirect(request.META.get("HTTP_REFERER") or "surveillance:index")


@login_required
def refresh(request):
    if request.method == "POST":
        access.require(request.user, "surveillance.change")
        perform(request, lambda: (services.detect(actor=request.user), services.rt_refresh(actor=request.user)),
                success=lambda r: _("%(n)d new signals; Rt and forecasts refreshed for %(d)d districts.") % {"n": r[0], "d": r[1]})
    return redirect("surveillance:index")


@login_required
def upload(request):
    access.require(request.user, "surveillance.change")  # the form is a write: not shown to those who may not load
    form = forms.UploadForm(request.POST, request.FILES) if request.method == "POST" else forms.UploadForm()
    if request.method == "POST":
        form.submit(request, lambda file: services.observations_import(actor=request.user, data=file.read(), filename=file.name),
                    success=lambda r: _("Imported %(rows)d rows.") % r)
    return render(request, "surveillance/upload.html", {"report": form.refusal_report()})
