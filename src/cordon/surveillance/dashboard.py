from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.surveillance import selectors


def tiles(actor):
    if not access.can(actor, "surveillance.view"):
        return []
    new = selectors.signal_list(actor=actor, status="new").count()
    rts = selectors.rt_latest(actor=actor)
    above = sum(1 for r in rts if r["mean"] > 1)
    url = reverse("surveillance:index")
    return [
        {"title": _("Open early-warning signals"), "value": new, "url": url, "tone": "red" if new else "green"},
        {"title": _("Districts with Rt > 1"), "value": f"{above}/{len(rts)}", "url": url, "tone": "yellow" if above else "green"},
    ]
