"""Home-page tiles for centralized quarantine."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.quarantine import selectors


def tiles(actor) -> list[dict]:
    """People in sites, free rooms, reserve gap, overdue monitoring."""
    if not access.can(actor, "quarantine.view"):
        return []
    # the dashboard_figures() the tiles show (people_in_measures, room_figures, overdue_monitoring): not its
    # queued requests and open proposal lines, which no tile shows
    people = selectors.people_in_measures(actor=actor)
    f = {"in_sites": people["centralized"], "at_home": people["home_isolation"] + people["home_monitoring"],
         "free": selectors.room_figures(actor=actor)["free"], "overdue": selectors.overdue_monitoring(actor=actor).count()}
    gap = sum(r["gap"] for r in selectors.reserves(actor=actor))
    return [
        {"title": _("In quarantine sites"), "value": f["in_sites"], "sub": _("%(n)d at home") % {"n": f["at_home"]},
         "url": reverse("quarantine:index")},
        {"title": _("Free quarantine rooms"), "value": f["free"], "url": reverse("quarantine:sites"),
         "tone": "green" if f["free"] else "red"},
        {"title": _("Quarantine reserve gap"), "value": gap, "sub": _("rooms below target"),
         "url": reverse("quarantine:reserves"), "tone": "red" if gap else "green"},
        {"title": _("Monitoring overdue"), "value": f["overdue"], "url": reverse("quarantine:index") + "#overdue",
         "tone": "red" if f["overdue"] else "green"},
    ]
