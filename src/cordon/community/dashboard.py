"""Home-page tile: today's door checks against the households of the grids in the actor's area."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.community import selectors
from cordon.community.models import DoorCheck
from cordon.core import access, clock
from cordon.people.models import Household


def tiles(actor) -> list[dict]:
    if not access.can(actor, "community.view"):
        return []
    # The totals of selectors.progress over every grid in scope, counted in two queries (progress lists the grids
    # first, at most 500 of them, and counts each: the tile missed the households of any further grid).
    grid_paths = selectors.grids(actor=actor).values("path")
    hh = Household.objects.visible_to(actor, "view").filter(region_path__in=grid_paths).count()
    checks = (DoorCheck.objects.visible_to(actor, "view").filter(region_path__in=grid_paths, day=clock.today())
              .aggregate(n=Count("id"), s=Count("id", filter=Q(symptoms=True))))
    visited = checks["n"]
    return [{"title": _("Door checks today"), "value": f"{visited}/{hh}",
             "sub": _("%(n)d with symptoms") % {"n": checks["s"]}, "url": reverse("community:index"),
             "tone": "green" if hh and visited >= hh else "yellow"}]
