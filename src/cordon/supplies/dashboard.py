"""Home-page tiles: supply lines forecast to run short, transfers in flight."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.supplies import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "supplies.view"):
        return []
    s = selectors.summary(actor=actor)
    return [{"title": _("Supplies running short"), "value": s["low"], "sub": _("of %(n)d item lines") % {"n": s["lines"]},
             "url": reverse("supplies:index") + "?low=1", "tone": "red" if s["low"] else "green"},
            {"title": _("Supply transfers in flight"), "value": s["pending_transfers"], "url": reverse("supplies:transfers")}]
