"""Writes for surveillance: stream imports, detection runs, signal triage, Rt and forecasts."""

import datetime as dt
from collections.abc import Mapping

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.analytics import ears, epiestim, farrington, forecast
from cordon.cases.models import Case
from cordon.command import services as command_services
from cordon.contacts.models import RiskPerson
from cordon.core import access, audit, clock, policy, tabular
from cordon.core.errors import ServiceError
from cordon.regions.models import Level, Region
from cordon.surveillance import events, rules
from cordon.surveillance.models import (
    Forecast,
    ForecastBacktest,
    Observation,
    RtEstimate,
    Signal,
    SignalStatus,
    StreamKind,
)

IMPORT_ALIASES = {"date": "date", "日期": "date", "region_code": "region_code", "区划编码": "region_code",
                  "stream": "stream", "监测类型": "stream", "count": "count", "数量": "count",
                  "denominator": "denominator", "分母": "denominator", "source": "source", "来源": "source"}
STREAMS = {k for k, _ in StreamKind.choices}
# The upload's empty template (core.tabular.template_view): headers as IMPORT_ALIASES accepts them, one example row.
IMPORT_TEMPLATE = [("日期", "2022-11-20"), ("区划编码", "310104"), ("监测类型", "fever_clinic"), ("数量", 12), ("分母", ""),
                   ("来源", "区疾控")]


def _validate(items: list[dict], actor) -> tuple[list[dict], list[dict]]:
    codes = {str(i.get("region_code", "")) for i in items}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    errors, clean, seen = [], [], {}
    for n, item in enumerate(items, start=1):
        before = len(errors)
        try:
            date = item["date"] if isinstance(item.get("date"), dt.date) else dt.date.fromisoformat(str(item.get("date", "")))
        except ValueError:
            errors.append({"row": n, "field": "date", "message": _("%(value)r is not a date (YYYY-MM-DD)") % {"value": item.get("date")}})
            date = None
        if date and date > clock.today():
            errors.append({"row": n, "field": "date", "message": _("is in the future")})
        region = regions.get(str(item.get("region_code", "")))
        if region is None:
            errors.append({"row": n, "field": "region_code", "message": _("unknown region %(code)r") % {"code": item.get("region_code")}})
        elif not access.can(actor, "surveillance.change", region.path):
            errors.append({"row": n, "field": "region_code", "message": _("outside your area")})
        stream = str(item.get("stream", ""))
        if stream not in STREAMS:
            errors.append({"row": n, "field": "stream", "message": _("unknown stream %(stream)r (one of %(choices)s)") % {
                "stream": stream, "choices": ", ".join(sorted(STREAMS))}})
        try:
            count = float(item.get("count"))
            if count < 0 or count != count:
                raise ValueError
        except (TypeError, ValueError):
            errors.append({"row": n, "field": "count", "message": _("%(value)r is not a non-negative number") % {"value": item.get("count")}})
            count = None
        denom = item.get("denominator")
        if denom not in (None, ""):
            try:
                denom = float(denom)
                if denom <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append({"row": n, "field": "denominator", "message": _("%(value)r is not a positive number") % {"value": denom}})
        else:
            denom = None
        key = (stream, item.get("region_code"), date)
        if len(errors) == before:
            if key in seen:
                errors.append({"row": n, "field": "date", "message": _("same stream, region and date as row %(row)s") % {"row": seen[key]}})
            else:
                seen[key] = n
                clean.append({"stream": stream, "region": region, "date": date, "count": count, "denominator": denom,
                              "source": str(item.get("source", ""))[:60]})
    return clean, errors


def observations_store(*, actor, items: list[dict]) -> dict:
    """Upsert daily counts [{date, region_code, stream, count, denominator?, source?}], all or nothing."""
    access.require(actor, "surveillance.change")
    if not items:
        raise ServiceError.field("items", _("no rows"))
    clean, errors = _validate(items, actor)
    if errors:
        first = errors[0]
        raise ServiceError(_("%(len_errors)s problem(s); nothing stored. First: row %(row)s, %(field)s: %(message)s") % {"len_errors": len(errors), "row": first['row'], "field": first['field'], "message": first['message']},
                           code="batch_invalid", fields=errors)
    with transaction.atomic():
        existing = {(o.stream, o.region_id, o.date): o for o in Observation.objects.filter(
            region_id__in={c["region"].pk for c in clean}, date__in={c["date"] for c in clean},
            stream__in={c["stream"] for c in clean})}
        new, changed = [], []
        for c in clean:
            o = existing.get((c["stream"], c["region"].pk, c["date"]))
            if o is None:
                new.append(Observation(stream=c["stream"], region=c["region"], region_path=c["region"].path, date=c["date"],
                                       count=c["count"], denominator=c["denominator"], source=c["source"]))
            elif o.count != c["count"] or o.denominator != c["denominator"]:
                o.count, o.denominator, o.source = c["count"], c["denominator"], c["source"]
                changed.append(o)
        Observation.objects.bulk_create(new, batch_size=2000)
        Observation.objects.bulk_update(changed, ["count", "denominator", "source"], batch_size=2000)
        audit.record(actor, "surveillance.observations", object_type="surveillance.observation",
                     changes={"rows": len(clean), "created": len(new), "updated": len(changed)})
    return {"rows": len(clean), "created": len(new), "updated": len(changed)}


def observations_import(*, actor, data: bytes, filename: str) -> dict:
    """Import a CSV/Excel of daily counts (columns date, region_code, stream, count, denominator)."""
    rows = [r for _, r in tabular.read_rows(data, filename, IMPORT_ALIASES)]
    return observations_store(actor=actor, items=rows)


def _series(region: Region, stream: str, *, end: dt.date, days: int) -> np.ndarray:
    start = end - dt.timedelta(days=days - 1)
    rows = Observation.objects.filter(region=region, stream=stream, date__gte=start, date__lte=end).values_list("date", "count")
    return rules.daily_series(list(rows), start=start, end=end)


def detect(*, actor, on: dt.date | None = None, regions=None, streams=None, lookback: int = 14) -> int:
    """Run EARS C1/C2/C3 on daily counts and Farrington Flexible on weekly counts; store alarms as signals."""
    on = on or clock.today()
    regions = list(regions) if regions is not None else list(Region.objects.filter(level=Level.DISTRICT))
    streams = list(streams) if streams is not None else sorted(STREAMS)
    found = 0
    for region in regions:
        for stream in streams:
            x = _series(region, stream, end=on, days=3 * 364 + lookback)
            if not x.any():
                continue
            idx = np.arange(len(x) - lookback, len(x))
            hits = []
            for method in ("C1", "C2", "C3"):
                res = ears.ears_c(x, method=method, indices=idx)
                for i, ub, alarm in zip(res.indices, res.upperbound, res.alarm, strict=True):
                    if alarm:
                        hits.append((on - dt.timedelta(days=len(x) - 1 - int(i)), f"EARS-{method}", float(x[i]), float(ub)))
            wk = rules.weekly(x)
            if len(wk) >= 2 * 52 + 4 + 1:
                ctl = farrington.FarringtonControl(b=2, w=3, no_periods=10, past_weeks_not_included=26, p_threshold_trend=1,
                                                   alpha=0.01, threshold_method="nbPlugin")
                fr = farrington.farrington_flexible(wk, indices=[len(wk)], control=ctl)
                if fr.alarm[0]:
                    hits.append((on, "Farrington", float(wk[-1]), float(fr.upperbound[0])))
            for date, method, observed, ub in hits:
                _, created = Signal.objects.get_or_create(
                    stream=stream, region=region, date=date, method=method,
                    defaults={"region_path": region.path, "observed": observed, "upperbound": ub})
                found += int(created)
    if found:
        audit.record(actor, "surveillance.detect", object_type="surveillance.signal", changes={"new_signals": found, "on": on})
    return found


def signal_triage(*, actor, signal: Signal, action: str, note: str = "") -> Signal:
    """Turn a signal into a verification task for the region, or dismiss it with a reason."""
    access.require(actor, "surveillance.change", signal.region_path)
    if signal.status != SignalStatus.NEW:
        raise ServiceError.field("status", _("the signal was triaged already"), code="triaged")
    if action not in ("task", "dismiss"):
        raise ServiceError.field("action", _("must be task or dismiss"))
    if action == "dismiss" and not note.strip():
        raise ServiceError.field("note", _("say why the signal is dismissed"))
    with transaction.atomic():
        if action == "task":
            task = command_services.task_create(
                actor=actor, title=f"核查预警：{signal.region.name} {signal.get_stream_display()} {signal.date} ({signal.method})",
                kind="surveillance.signal", region_path=signal.region_path,
                deadline=clock.now() + dt.timedelta(hours=24), priority=2, detail=note,
                source=f"surveillance.signal:{signal.pk}")
            signal.task = task
            signal.status = SignalStatus.TASKED
        else:
            signal.status = SignalStatus.DISMISSED
        signal.note, signal.triaged_by, signal.triaged_at = note, actor, clock.now()
        signal.save()
        audit.record(actor, f"signal.{action}", signal, changes={"note": note})
    return signal


def _case_counts(region: Region, *, start: dt.date, end: dt.date) -> np.ndarray:
    rows = Case.objects.filter(region_path__startswith=region.path, confirmed_at__date__gte=start,
                               confirmed_at__date__lte=end).values_list("confirmed_at", flat=True)
    return rules.daily_series([(clock.day_of(t), 1) for t in rows], start=start, end=end)


def _case_total(region: Region, *, end: dt.date) -> int:
    return Case.objects.filter(region_path__startswith=region.path, confirmed_at__date__lte=end).count()


def _contacts_per_case(region: Region, *, since: dt.date, default: float) -> float:
    cases = Case.objects.filter(region_path__startswith=region.path, confirmed_at__date__gte=since).count()
    if cases == 0:
        return default
    contacts = RiskPerson.objects.filter(source_case__region_path__startswith=region.path, category="close_contact",
                                         source_case__confirmed_at__date__gte=since).exclude(status="rejected").count()
    return contacts / cases if contacts else default


def _population(region: Region) -> int:
    """Residents of a district (the region's roll-up); 0 when unknown, and then the forecast has no bound."""
    return int(region.population or 0)


def rt_refresh(*, actor, on: dt.date | None = None, days: int = 60, window: int | None = None, horizon: int | None = None,
               in_sites: Mapping[str, int] | None = None) -> int:
    """Recompute Rt per district from confirmed cases and project the next `horizon` days (cases, contacts, rooms, tests).

    The projection depletes the district's susceptibles (residents minus cases to date), so it never
    exceeds the population, and rooms never exceed the people who may still enter a site: residents
    minus cases minus `in_sites`, the people in or expected at a quarantine site per district path.
    Quarantine counts those: when the caller does not pass them, they are asked of quarantine
    (surveillance.events.PEOPLE_IN_SITES), so the manual refresh and the daily job give the same bound."""
    in_sites = events.PEOPLE_IN_SITES.ask() if in_sites is None else in_sites
    on = on or clock.today()
    rules_now = policy.in_force(on)
    si_cfg = rules_now.get("tracing.serial_interval") or {"mean": 3.0, "sd": 1.9}
    sv = rules_now.section("surveillance")
    window = window or int(sv.get("rt_window_days", 7))
    horizon = horizon or int(sv.get("forecast_horizon_days", 14))
    prior_mean, prior_sd = float(sv.get("rt_prior_mean", 5.0)), float(sv.get("rt_prior_sd", 5.0))
    start = on - dt.timedelta(days=days - 1)
    phases = rules_now.get("measures.categories.close_contact.phases") or []
    central = next((p for p in phases if p["kind"] == "centralized"), None)
    tests_per_contact = sum(len(p.get("test_days", [])) for p in phases) or 1
    written = 0
    for region in Region.objects.filter(level=Level.DISTRICT):
        counts = _case_counts(region, start=start, end=on)
        if counts.sum() == 0:
            continue
        local, imported = epiestim.split_plain_incidence(counts)
        si = epiestim.parametric_si_distr(days + horizon, si_cfg["mean"], si_cfg["sd"])
        res = epiestim.estimate_r(local, imported, si[:days] / si[:days].sum(), window=window,
                                  prior_mean=prior_mean, prior_sd=prior_sd)
        q025, q50, q975 = res.quantile(0.025), res.quantile(0.5), res.quantile(0.975)
        population = _population(region)
        to_date = _case_total(region, end=on)
        with transaction.atomic():
            RtEstimate.objects.filter(region=region, window=window, date_end__gte=start).delete()
            RtEstimate.objects.bulk_create([
                RtEstimate(region=region, region_path=region.path, window=window,
                           date_end=start + dt.timedelta(days=int(e) - 1), mean=float(res.mean[i]), std=float(res.std[i]),
                           q025=float(q025[i]), median=float(q50[i]), q975=float(q975[i]),
                           cases=int(local[int(s) - 1:int(e)].sum()))
                for i, (s, e) in enumerate(zip(res.t_start, res.t_end, strict=True))])
            proj = forecast.project(counts, si, r_shape=float(res.shape[-1]), r_scale=float(res.scale[-1]), days=horizon,
                                    seed=int(region.code[-4:]), population=population or None, cumulative=to_date,
                                    r_volatility=forecast.volatility(res.mean, window=window))
            cpc = _contacts_per_case(region, since=on - dt.timedelta(days=14), default=8.0)
            eligible = max(0, population - to_date - in_sites.get(region.path, 0)) if population else None
            rooms = forecast.rooms_needed(proj.median, contacts_per_case=cpc, centralized_share=1.0 if central else 0.0,
                                          centralized_days=central["days"] if central else 0, eligible=eligible)
            contacts = forecast.rooms_needed(proj.median, contacts_per_case=cpc, centralized_share=1.0, centralized_days=1,
                                             eligible=eligible)
            Forecast.objects.update_or_create(region=region, made_on=on, defaults={
                "region_path": region.path, "r_mean": float(res.mean[-1]), "contacts_per_case": cpc,
                "days": [{"date": (on + dt.timedelta(days=d + 1)).isoformat(), "median": float(proj.median[d]),
                          "lower": float(proj.lower[d]), "upper": float(proj.upper[d]),
                          "cumulative": float(proj.cumulative_median[d]), "population": population,
                          "contacts": round(float(contacts[d]), 1), "rooms": round(float(rooms[d]), 1),
                          "tests": round(float(contacts[d]) * tests_per_contact, 1)} for d in range(horizon)]})
        written += 1
    audit.record(actor, "surveillance.rt_refresh", object_type="surveillance.rtestimate", changes={"districts": written, "on": on})
    return written


BACKTEST_FIELDS = ("people", "days", "horizon", "forecasts", "infections", "mae", "relative_error", "coverage", "bounded")


def forecast_backtest_record(*, actor, result: Mapping, source: str) -> ForecastBacktest:
    """Keep a forecast backtest's figures (from cordon.analytics.forecast.backtest) for the forecast pages."""
    missing = [f for f in BACKTEST_FIELDS if f not in result and f != "infections"]
    if missing:
        raise ServiceError.field("result", _("missing %(fields)s") % {"fields": ", ".join(missing)})
    if not 0 <= float(result["coverage"]) <= 1:
        raise ServiceError.field("coverage", _("must be between 0 and 1"))
    with transaction.atomic():
        run = ForecastBacktest.objects.create(run_at=clock.now(), source=source[:200],
                                              **{f: result[f] for f in BACKTEST_FIELDS if f in result})
        audit.record(actor, "surveillance.forecast_backtest", run,
                     changes={"mae": run.mae, "coverage": run.coverage, "source": run.source})
    return run
