"""Reads for grid work: a grid's households and residents (masked) with measures and untested flags,
door-check progress per grid, passes, entrance log, village checkpoints and returnees."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count, Q
from django.http import Http404

from cordon.community.filters import CompoundFilter, DoorCheckFilter, ReturneeFilter
from cordon.community.models import DoorCheck, EntranceLog, EntrancePass, Returnee, VillageCheckpoint
from cordon.core import access, clock
from cordon.people import selectors as people_selectors
from cordon.people.models import VULNERABLE_FLAGS, Household, Person
from cordon.regions.models import Building, Level, Region
from cordon.status.models import HealthStatus, StatusReason


def grids(*, actor):
    """Grids inside the actor's area."""
    return Region.objects.visible_to(actor, "view").filter(level=Level.GRID).order_by("path")


def grid_get(*, actor, pk: int) -> Region:
    """One grid, 404 outside the actor's area."""
    grid = Region.objects.visible_to(actor, "view").filter(level=Level.GRID, pk=pk).first()
    if grid is None or not access.can(actor, "community.view", grid.path):
        raise Http404("not found")
    return grid


def untested_since(*, days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The cut-off: people without a sample since then count as not tested."""
    return (now or clock.now()) - dt.timedelta(days=days)


def grid_residents(*, actor, grid: Region, only: str = "", untested_days: int = 3):
    """Residents of a grid with their active measures (status reasons) and whether they were tested lately."""
    qs = Person.objects.visible_to(actor, "view").filter(region_path=grid.path).select_related("household").order_by("household_id", "id")
    cutoff = untested_since(days=untested_days)
    tested = HealthStatus.objects.filter(person__region_path=grid.path, last_sampled_at__gte=cutoff).values("person_id")
    measured = StatusReason.objects.filter(region_path=grid.path, active=True).values("person_id")
    if only == "vulnerable":
        q = Q()
        for f in VULNERABLE_FLAGS:
            q |= Q(**{f: True})
        qs = qs.filter(q)
    elif only == "measures":
        qs = qs.filter(pk__in=measured)
    elif only == "untested":
        qs = qs.exclude(pk__in=tested)
    return qs


def resident_rows(people, *, actor, untested_days: int = 3) -> list[dict]:
    """Masked cards plus measures and the tested flag for a page of residents."""
    ids = [p.pk for p in people]
    reasons: dict[int, list[str]] = {}
    for pid, reason in StatusReason.objects.filter(person_id__in=ids, active=True).values_list("person_id", "reason"):
        reasons.setdefault(pid, []).append(reason)
    cutoff = untested_since(days=untested_days)
    sampled = dict(HealthStatus.objects.filter(person_id__in=ids).values_list("person_id", "last_sampled_at"))
    out = []
    for p in people:
        card = people_selectors.person_card(p, actor=actor)
        card["measures"] = sorted(set(reasons.get(p.pk, [])))
        card["last_sampled_at"] = sampled.get(p.pk)
        card["tested"] = bool(sampled.get(p.pk) and sampled[p.pk] >= cutoff)
        out.append(card)
    return out


def grid_facts(*, actor, grid: Region, untested_days: int = 3) -> dict:
    """Counts for one grid: households, residents, vulnerable, under measures, not tested lately, checked today."""
    base = grid_residents(actor=actor, grid=grid, untested_days=untested_days)
    today = clock.today()
    return {
        "households": Household.objects.visible_to(actor, "view").filter(region_path=grid.path).count(),
        "residents": base.count(),
        "vulnerable": grid_residents(actor=actor, grid=grid, only="vulnerable").count(),
        "measures": grid_residents(actor=actor, grid=grid, only="measures").count(),
        "untested": grid_residents(actor=actor, grid=grid, only="untested", untested_days=untested_days).count(),
        "checked_today": DoorCheck.objects.visible_to(actor, "view").filter(region_path=grid.path, day=today).count(),
        "symptoms_today": DoorCheck.objects.visible_to(actor, "view").filter(region_path=grid.path, day=today, symptoms=True).count(),
    }


def grid_households(*, actor, grid: Region):
    """Households of a grid with today's door check, if any."""
    return Household.objects.visible_to(actor, "view").filter(region_path=grid.path).order_by("address", "id")


def progress(*, actor, day: dt.date | None = None, parent_path: str = "") -> list[dict]:
    """Door-check progress per grid on a day: households, visited, with symptoms, share done."""
    day = day or clock.today()
    gs = grids(actor=actor)
    if parent_path:
        gs = gs.filter(path__startswith=parent_path)
    gs = list(gs.values("pk", "name", "path")[:500])
    paths = [g["path"] for g in gs]
    hh = dict(Household.objects.visible_to(actor, "view").filter(region_path__in=paths).values("region_path")
              .annotate(n=Count("id")).values_list("region_path", "n"))
    checks = {r["region_path"]: r for r in DoorCheck.objects.visible_to(actor, "view").filter(region_path__in=paths, day=day)
              .values("region_path").annotate(n=Count("id"), s=Count("id", filter=Q(symptoms=True)))}
    out = []
    for g in gs:
        n = hh.get(g["path"], 0)
        c = checks.get(g["path"], {})
        out.append({"id": g["pk"], "name": g["name"], "path": g["path"], "households": n, "visited": c.get("n", 0),
                    "symptoms": c.get("s", 0), "share": round(100 * c.get("n", 0) / n, 1) if n else 0.0})
    return out


def doorcheck_list(*, actor, filters: Mapping | None = None):
    """Door checks inside the actor's area, filtered by DoorCheckFilter (day, grid, symptoms)."""
    return DoorCheckFilter.apply(filters, DoorCheck.objects.visible_to(actor, "view").select_related("household", "worker"))


def compounds(*, actor, community_path: str = "") -> list[dict]:
    """Compounds (community, name) the actor can see."""
    qs = Building.objects.visible_to(actor, "view")
    if community_path:
        qs = qs.filter(region_path__startswith=community_path)
    return [{"community_id": c, "name": n, "community": cn} for c, n, cn in
            qs.values_list("community_id", "compound", "community__name").distinct().order_by("community_id", "compound")[:300]]


def pass_list(*, actor, filters: Mapping | None = None):
    """Entrance passes inside the actor's area, filtered by CompoundFilter (compound)."""
    return CompoundFilter.apply(filters, EntrancePass.objects.visible_to(actor, "view").select_related("community"))


def pass_get(*, actor, pk: int, action: str = "view") -> EntrancePass:
    """One pass, 404 outside the actor's area."""
    return access.get_for(actor, EntrancePass.objects.all(), action, pk=pk)


def entrance_log(*, actor, filters: Mapping | None = None):
    """Entries and exits inside the actor's area, filtered by CompoundFilter (compound)."""
    return CompoundFilter.apply(filters, EntranceLog.objects.visible_to(actor, "view").select_related("entrance_pass", "person", "community"))


def override_list(*, actor, filters: Mapping | None = None):
    """Exits the rules refused that an authorised officer let through (medical emergency, childbirth, dialysis), newest first."""
    return CompoundFilter.apply(filters, EntranceLog.objects.visible_to(actor, "view").exclude(override_reason="")
                                .select_related("person", "recorded_by").order_by("-at", "-id"))


def villages(*, actor):
    """Villages (rural communities) inside the actor's area."""
    return Region.objects.visible_to(actor, "view").filter(level=Level.COMMUNITY, is_rural=True).order_by("path")


def checkpoint_list(*, actor):
    """Village checkpoints inside the actor's area."""
    return VillageCheckpoint.objects.visible_to(actor, "view").select_related("village").order_by("village__path", "name")


def returnee_list(*, actor, filters: Mapping | None = None):
    """Returnees inside the actor's area, filtered by ReturneeFilter (risk)."""
    return ReturneeFilter.apply(filters, Returnee.objects.visible_to(actor, "view").select_related("village", "checkpoint"))
