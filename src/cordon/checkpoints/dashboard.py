import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.checkpoints import selectors
from cordon.core import access, clock


def tiles(actor) -> list[dict]:
    if not access.can(actor, "checkpoints.view"):
        return []
    counts = selectors.result_counts(actor=actor, since=clock.now() - dt.timedelta(hours=24))
    total = sum(counts.values())
    return [{"title": _("Checkpoint passages (24 h)"), "value": total,
             "sub": _("%(h)d held, %(r)d redirected") % {"h": counts.get("hold", 0), "r": counts.get("redirect", 0)},
             "url": reverse("checkpoints:index"), "tone": "red" if counts.get("hold") else "green"}]
