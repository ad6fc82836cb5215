"""Reads of surveillance data."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q, QuerySet

from cordon.analytics import epiestim
from cordon.core import access, clock, policy
from cordon.regions.models import Level
from cordon.surveillance.filters import ObservationFilter, SignalFilter
from cordon.surveillance.models import Forecast, ForecastBacktest, Observation, RtEstimate, Signal


def observation_list(*, actor, filters: Mapping | None = None) -> QuerySet[Observation]:
    """Daily counts inside the actor's area, filtered by ObservationFilter (stream, region, since)."""
    qs = Observation.objects.visible_to(actor, "view").select_related("region").order_by("region__path", "stream", "date")
    return ObservationFilter.apply(filters, qs)


def signal_list(*, actor, filters: Mapping | None = None) -> QuerySet[Signal]:
    """Signals inside the actor's area, newest first, filtered by SignalFilter (status, stream, region, since)."""
    qs = Signal.objects.visible_to(actor, "view").select_related("region", "task").order_by("-date", "-id")
    return SignalFilter.apply(filters, qs)


def signal_get(*, actor, pk: int, action: str = "view") -> Signal:
    """One signal (404 outside the actor's area)."""
    return access.get_for(actor, Signal.objects.select_related("region"), action, pk=pk)


def rt_thresholds(on: dt.date | None = None) -> dict:
    """The rule set's estimability threshold and prior: {max_cv, a_prior}."""
    sv = policy.in_force(on or clock.today()).section("surveillance")
    prior_mean, prior_sd = float(sv.get("rt_prior_mean", 5.0)), float(sv.get("rt_prior_sd", 5.0))
    return {"max_cv": float(sv.get("rt_max_cv", 0.3)), "a_prior": (prior_mean / prior_sd) ** 2}


def rt_row(r: RtEstimate, *, max_cv: float, a_prior: float) -> dict:
    """One estimate as shown: mean, median and interval are None when the window's cases cannot carry an estimate."""
    ok = bool(epiestim.estimable(a_prior + r.cases, max_cv=max_cv))
    return {"region": r.region.name, "region_path": r.region_path, "date_end": r.date_end, "window": r.window,
            "estimable": ok, "mean": r.mean if ok else None, "std": r.std if ok else None,
            "q025": r.q025 if ok else None, "median": r.median if ok else None, "q975": r.q975 if ok else None,
            "above_one": ok and r.q025 > 1.0, "cases": r.cases}


def rt_latest(*, actor, on: dt.date | None = None) -> list[dict]:
    """The latest Rt per district the actor may see; no figure where the window had too few cases (Cori et al. 2013)."""
    th = rt_thresholds(on)
    out = []
    qs = RtEstimate.objects.visible_to(actor, "view").select_related("region").order_by("region__path", "-date_end")
    if on is not None:
        qs = qs.filter(date_end__lte=on)
    seen = set()
    for r in qs:
        if r.region_id in seen:
            continue
        seen.add(r.region_id)
        out.append(rt_row(r, **th))
    return out


def rt_summary(rows: list[dict]) -> dict:
    """Districts whose Rt is above 1 (lower 95% bound > 1) among the estimable ones, and how many were not estimable."""
    estimable = [r for r in rows if r["estimable"]]
    return {"above_one": sum(1 for r in estimable if r["above_one"]), "estimable": len(estimable),
            "not_estimable": len(rows) - len(estimable)}


def rt_district_counts(*, region_path: str, on: dt.date) -> dict:
    """rt_summary for the districts inside a region, from each one's latest window ending on or before `on`.

    Used by the command figures and bulletins; aggregate figures only."""
    th = rt_thresholds(on)
    qs = (RtEstimate.objects.filter(region__level=Level.DISTRICT, date_end__lte=on)
          .filter(Q(region_path=region_path) | Q(region_path__startswith=region_path + "."))
          .select_related("region").order_by("region__path", "-date_end"))
    rows, seen = [], set()
    for r in qs:
        if r.region_id not in seen:
            seen.add(r.region_id)
            rows.append(rt_row(r, **th))
    return rt_summary(rows)


def rt_series(*, actor, region_path: str) -> QuerySet[RtEstimate]:
    """Rt estimates over time for one region."""
    return RtEstimate.objects.visible_to(actor, "view").filter(region_path=region_path).order_by("date_end")


def rt_series_shown(*, actor, region_path: str) -> list[dict]:
    """Rt over time for one region as shown: None where the window had too few cases for an estimate."""
    th = rt_thresholds()
    return [rt_row(r, **th) for r in rt_series(actor=actor, region_path=region_path).select_related("region")]


def forecast_latest(*, actor, region_path: str | None = None) -> QuerySet[Forecast]:
    """The newest forecast per region visible to the actor."""
    qs = Forecast.objects.visible_to(actor, "view").select_related("region").order_by("region__path", "-made_on")
    if region_path:
        qs = qs.filter(region_path=region_path)
    return qs


def forecast_rooms(*, district_path: str, days: int = 7) -> list[float] | None:
    """Rooms the latest forecast says the district needs over the next `days` (None without a forecast).

    Used by the quarantine capacity warning; aggregate figures only, no personal data.
    """
    f = Forecast.objects.filter(region_path=district_path, made_on__gte=clock.today() - dt.timedelta(days=3)).order_by("-made_on").first()
    if f is None:
        return None
    return [d["rooms"] for d in f.days[:days]]


def forecast_contacts(*, district_path: str, days: int = 7) -> list[float] | None:
    """New close contacts per day the latest Rt forecast projects for a district (None without one)."""
    return forecast_contacts_many([district_path], days=days).get(district_path)


def forecast_contacts_many(district_paths: list[str], *, days: int = 7) -> dict[str, list[float]]:
    """forecast_contacts for many districts in one query: {path: contacts per day}, districts without one left out."""
    out: dict[str, list[float]] = {}
    for path, forecast_days in (Forecast.objects.filter(region_path__in=district_paths,
                                                        made_on__gte=clock.today() - dt.timedelta(days=3))
                                .order_by("region_path", "-made_on").values_list("region_path", "days")):
        if path not in out:
            out[path] = [d["contacts"] for d in forecast_days[:days]]
    return out


BACKTEST_HOW = "python manage.py bench forecast --store"


def forecast_backtest_latest(*, actor) -> ForecastBacktest | None:
    """The latest stored forecast backtest (city-wide figures about the method, no personal data), or None."""
    return ForecastBacktest.objects.first() if access.can(actor, "surveillance.view") or access.can(actor, "quarantine.view") else None
