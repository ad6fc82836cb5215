from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.venues import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "venues.view"):
        return []
    # counted, not listed: listing read each order with its area's map boundary (and showed at most 50)
    orders = selectors.closure_list(actor=actor, filters={"status": "in_force"}).count()
    closed = selectors.closed_count(actor=actor)
    return [{"title": _("Closure orders in force"), "value": orders, "sub": _("%(n)d venues closed") % {"n": closed},
             "url": reverse("venues:index"), "tone": "red" if orders else "green"}]
