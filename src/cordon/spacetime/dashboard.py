from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.spacetime import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "spacetime.view"):
        return []
    totals = selectors.presence_totals(actor=actor)
    return [{"title": _("Cell presence rows"), "value": totals["rows"], "sub": _("%(n)d batches") % {"n": totals["batches"]},
             "url": reverse("spacetime:index")}]
