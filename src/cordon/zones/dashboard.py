from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.zones import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "zones.view"):
        return []
    c = selectors.counts(actor=actor)
    in_force = sum(c["by_status"].get(s, 0) for s in ("in_force", "countdown", "eligible"))
    return [{"title": _("Zones in force"), "value": in_force,
             "sub": _("%(n)d proposed, awaiting confirmation") % {"n": c["by_status"].get("designated", 0)},
             "url": reverse("zones:index"), "tone": "red" if in_force else "green"}]
