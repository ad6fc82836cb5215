"""Reads of surveillance data."""

import datetime as dt

from django.db.models import QuerySet

from cordon.core import access, clock
from cordon.surveillance.models import Forecast, Observation, RtEstimate, Signal


def observation_list(*, actor, stream: str | None = None, region_path: str | None = None, since: dt.date | None = None) -> QuerySet[Observation]:
    """Daily counts inside the actor's area."""
    qs = Observation.objects.visible_to(actor, "view").select_related("region").order_by("region__path", "stream", "date")
    if stream:
        qs = qs.filter(stream=stream)
    if region_path:
        qs = qs.filter(region_path=region_path)
    if since:
        qs = qs.filter(date__gte=since)
    return qs


def signal_list(*, actor, status: str | None = None) -> QuerySet[Signal]:
    """Signals inside the actor's area, newest first."""
    qs = Signal.objects.visible_to(actor, "view").select_related("region", "task").order_by("-date", "-id")
    if status:
        qs = qs.filter(status=status)
    return qs


def signal_get(*, actor, pk: int, action: str = "view") -> Signal:
    """One signal (404 outside the actor's area)."""
    return access.get_for(actor, Signal.objects.select_related("region"), action, pk=pk)


def rt_latest(*, actor) -> list[dict]:
    """The latest Rt per district the actor may see."""
    out = []
    qs = RtEstimate.objects.visible_to(actor, "view").select_related("region").order_by("region__path", "-date_end")
    seen = set()
    for r in qs:
        if r.region_id in seen:
            continue
        seen.add(r.region_id)
        out.append({"region": r.region.name, "region_path": r.region_path, "date_end": r.date_end, "mean": r.mean,
                    "q025": r.q025, "q975": r.q975, "cases": r.cases})
    return out


def rt_series(*, actor, region_path: str) -> QuerySet[RtEstimate]:
    """Rt estimates over time for one region."""
    return RtEstimate.objects.visible_to(actor, "view").filter(region_path=region_path).order_by("date_end")


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
    f = Forecast.objects.filter(region_path=district_path, made_on__gte=clock.today() - dt.timedelta(days=3)).order_by("-made_on").first()
    if f is None:
        return None
    return [d["contacts"] for d in f.days[:days]]
