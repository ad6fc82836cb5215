from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.gatherings import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "gatherings.view"):
        return []
    counts = selectors.status_counts(actor=actor)
    return [{"title": _("Gatherings approved"), "value": counts.get("approved", 0),
             "sub": _("%(s)d suspended, %(r)d not approved") % {"s": counts.get("suspended", 0), "r": counts.get("rejected", 0)},
             "url": reverse("gatherings:index"), "tone": "yellow" if counts.get("suspended") else "green"}]
