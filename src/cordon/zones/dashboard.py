from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.zones import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "zones.view"):
        return []
    # selectors.counts()["by_status"] without the per-kind count and the population the tile does not show
    by_status = dict(selectors.zone_list(actor=actor, active_only=True).values("status").annotate(n=Count("id"))
                     .values_list("status", "n"))
    in_force = sum(by_status.get(s, 0) for s in ("in_force", "countdown", "eligible"))
    return [{"title": _("Zones in force"), "value": in_force,
             "sub": _("%(n)d proposed, awaiting confirmation") % {"n": by_status.get("designated", 0)},
             "url": reverse("zones:index"), "tone": "red" if in_force else "green"}]
