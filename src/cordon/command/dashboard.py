"""Home-page tiles from the newest precomputed snapshot (no scan per request)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.command import selectors
from cordon.core import access


def tiles(actor) -> list[dict]:
    if not access.can(actor, "command.view"):
        return []
    snap = selectors.snapshot_latest(actor=actor)
    if snap is None:
        return []
    f = snap.data.get("figures", {})
    out = [{"title": _("Overdue tasks"), "value": f.get("tasks_overdue", 0), "sub": _("of %(n)s open") % {"n": f.get("tasks_open", 0)},
            "url": reverse("command:tasks") + "?overdue=1", "tone": "red" if f.get("tasks_overdue") else "green"},
           {"title": _("Open ledger items"), "value": f.get("ledger_open", 0),
            "sub": _("%(n)s past deadline") % {"n": f.get("ledger_overdue", 0)}, "url": reverse("command:ledger"),
            "tone": "yellow" if f.get("ledger_overdue") else "green"}]
    return out
