from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.cases import selectors
from cordon.core import access


def tiles(actor) -> list[dict]:
    if not access.can(actor, "cases.view"):
        return []
    c = selectors.dashboard_counts(actor=actor)
    return [{"title": _("Open cases"), "value": c["open"], "sub": _("%(n)d confirmed today") % {"n": c["today"]},
             "url": reverse("cases:index"), "tone": "red" if c["open"] else "green"},
            {"title": _("Tracing steps overdue"), "value": c["overdue"], "url": reverse("cases:index") + "?status=reported",
             "tone": "red" if c["overdue"] else "green"}]
