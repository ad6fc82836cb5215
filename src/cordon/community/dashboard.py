"""Home-page tile: today's door checks against the households of the grids in the actor's area."""

import hashlib
from time import monotonic

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.community import selectors
from cordon.community.models import DoorCheck
from cordon.core import access, clock
from cordon.people.models import Household

# The households of an area are the registry's (they change with an import or a move, not during the day's door
# checks), and counting them is a scan of the area's households (20 ms at 200 k on PostgreSQL, every home page).
# So the count is kept per area for HOUSEHOLDS_TTL seconds in this process, and counted again at once when a
# household is added (the newest household's id is part of the key); today's door checks are always counted.
HOUSEHOLDS_TTL = 120.0
_households: dict[tuple[str, int | None], tuple[float, int]] = {}


def clear_cache() -> None:
    _households.clear()


def _households_in(grid_paths, *, actor) -> int:
    qs = Household.objects.visible_to(actor, "view").filter(region_path__in=grid_paths)
    key = (hashlib.sha1(str(qs.query).encode()).hexdigest(), Household.objects.aggregate(m=Max("id"))["m"])
    now = monotonic()
    hit = _households.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    n = qs.count()
    if len(_households) > 1000:  # one entry per area asked about: never grows without bound
        _households.clear()
    _households[key] = (now + HOUSEHOLDS_TTL, n)
    return n


def tiles(actor) -> list[dict]:
    if not access.can(actor, "community.view"):
        return []
    # The totals of selectors.progress over every grid in scope (progress lists the grids first, at most 500 of
    # them, and counts each: the tile missed the households of any further grid).
    grid_paths = selectors.grids(actor=actor).values("path")
    hh = _households_in(grid_paths, actor=actor)
    checks = (DoorCheck.objects.visible_to(actor, "view").filter(region_path__in=grid_paths, day=clock.today())
              .aggregate(n=Count("id"), s=Count("id", filter=Q(symptoms=True))))
    visited = checks["n"]
    return [{"title": _("Door checks today"), "value": f"{visited}/{hh}",
             "sub": _("%(n)d with symptoms") % {"n": checks["s"]}, "url": reverse("community:index"),
             "tone": "green" if hh and visited >= hh else "yellow"}]
