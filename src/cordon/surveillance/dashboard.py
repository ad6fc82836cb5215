from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.surveillance import selectors


def tiles(actor):
    if not access.can(actor, "surveillance.view"):
        return []
    new = selectors.signal_list(actor=actor, filters={"status": "new"}).count()
    summary = selectors.rt_summary(selectors.rt_latest(actor=actor))
    above = summary["above_one"]
    # Counted among the districts whose Rt is estimable; the others are named, never counted as above 1.
    value = f"{above}/{summary['estimable']}"
    if summary["not_estimable"]:
        value += " " + _("(%(n)d not estimable: not enough cases)") % {"n": summary["not_estimable"]}
    url = reverse("surveillance:index")
    return [
        {"title": _("Open early-warning signals"), "value": new, "url": url, "tone": "red" if new else "green"},
        {"title": _("Districts with Rt > 1"), "value": value, "url": url,
         "tone": "yellow" if above else "green"},
    ]
