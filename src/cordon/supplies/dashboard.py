"""Home-page tiles: supply lines forecast to run short, transfers in flight."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.supplies import selectors
from cordon.supplies.models import Transfer, TransferStatus


def tiles(actor) -> list[dict]:
    if not access.can(actor, "supplies.view"):
        return []
    # selectors.summary's figures the tiles show (not its count of warehouses)
    rows = selectors.forecast(actor=actor)
    s = {"lines": len(rows), "low": sum(1 for r in rows if r["low"]),
         "pending_transfers": Transfer.objects.visible_to(actor, "view").filter(
             Q(status=TransferStatus.REQUESTED) | Q(status=TransferStatus.SHIPPED)).count()}
    return [{"title": _("Supplies running short"), "value": s["low"], "sub": _("of %(n)d item lines") % {"n": s["lines"]},
             "url": reverse("supplies:index") + "?low=1", "tone": "red" if s["low"] else "green"},
            {"title": _("Supply transfers in flight"), "value": s["pending_transfers"], "url": reverse("supplies:transfers")}]
