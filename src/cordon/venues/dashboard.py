from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.venues import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "venues.view"):
        return []
    orders = list(selectors.closure_list(actor=actor, filters={"status": "in_force"})[:50])
    closed = selectors.closed_count(actor=actor)
    return [{"title": _("Closure orders in force"), "value": len(orders), "sub": _("%(n)d venues closed") % {"n": closed},
             "url": reverse("venues:index"), "tone": "red" if orders else "green"}]
