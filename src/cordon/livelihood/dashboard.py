"""Home-page tiles: pending and overdue household needs, open emergencies, utility tickets, closed loops."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.livelihood import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "livelihood.view"):
        return []
    s = selectors.summary(actor=actor)
    return [
        {"title": _("Household needs pending"), "value": s["needs_pending"],
         "sub": _("%(n)d past deadline") % {"n": s["needs_overdue"]}, "url": reverse("livelihood:index") + "?status=pending",
         "tone": "red" if s["needs_overdue"] else ("yellow" if s["needs_pending"] else "green")},
        {"title": _("Open medical emergencies"), "value": s["emergencies_open"],
         "sub": _("%(n)d past deadline") % {"n": s["emergencies_overdue"]}, "url": reverse("livelihood:emergencies"),
         "tone": "red" if s["emergencies_overdue"] else ("yellow" if s["emergencies_open"] else "green")},
        {"title": _("Utility tickets open"), "value": s["incidents_open"], "url": reverse("livelihood:essentials"),
         "tone": "yellow" if s["incidents_open"] else "green"},
        {"title": _("Closed loops running"), "value": s["plans_running"],
         "sub": _("%(n)d whitelisted enterprises") % {"n": s["enterprises_whitelisted"]}, "url": reverse("livelihood:enterprises")},
    ]
