from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.cases import selectors
from cordon.cases.enums import CaseStatus
from cordon.cases.models import Case
from cordon.core import access, clock


def counts(*, actor) -> dict:
    """The figures of selectors.dashboard_counts() the tiles show: open and confirmed today in one query (not the
    total the tile does not show), overdue from the clocks of the same open cases (only the columns they read)."""
    qs = Case.objects.visible_to(actor, "view")
    now = clock.now()
    agg = qs.aggregate(open=Count("id", filter=~Q(status=CaseStatus.REPORT_DONE)),
                       today=Count("id", filter=Q(confirmed_at__date=clock.today())))
    open_rows = qs.exclude(status=CaseStatus.REPORT_DONE).only("confirmed_at", "on_site_at", "core_done_at", "report_done_at")
    overdue = sum(1 for c in open_rows[:500] if any(s["overdue"] for s in selectors.case_clock(c, now=now)))
    return {"open": agg["open"], "today": agg["today"], "overdue": overdue}


def tiles(actor) -> list[dict]:
    if not access.can(actor, "cases.view"):
        return []
    c = counts(actor=actor)
    return [{"title": _("Open cases"), "value": c["open"], "sub": _("%(n)d confirmed today") % {"n": c["today"]},
             "url": reverse("cases:index"), "tone": "red" if c["open"] else "green"},
            {"title": _("Tracing steps overdue"), "value": c["overdue"], "url": reverse("cases:index") + "?status=reported",
             "tone": "red" if c["overdue"] else "green"}]
