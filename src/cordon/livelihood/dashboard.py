"""Home-page tiles: pending and overdue household needs, open emergencies, utility tickets, closed loops."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access, clock
from cordon.livelihood.enums import EmergencyStatus, IncidentStatus, PlanStatus
from cordon.livelihood.filters import OPEN_EMERGENCY, OPEN_NEED
from cordon.livelihood.models import Emergency, Enterprise, Incident, LoopPlan, Need


def summary(*, actor) -> dict:
    """The figures of selectors.summary() the tiles show, one query per model (summary counts each figure apart)."""
    now = clock.now()
    needs = Need.objects.visible_to(actor, "view").filter(status__in=OPEN_NEED).aggregate(
        pending=Count("id"), overdue=Count("id", filter=Q(deadline__lt=now)))
    ems = Emergency.objects.visible_to(actor, "view").filter(status__in=OPEN_EMERGENCY).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(status=EmergencyStatus.OPEN, ack_deadline__lt=now)
                                        | Q(status=EmergencyStatus.ACKNOWLEDGED, dispatch_deadline__lt=now)))
    return {"needs_pending": needs["pending"], "needs_overdue": needs["overdue"],
            "emergencies_open": ems["open"], "emergencies_overdue": ems["overdue"],
            "incidents_open": Incident.objects.visible_to(actor, "view").exclude(status=IncidentStatus.RESOLVED).count(),
            "enterprises_whitelisted": Enterprise.objects.visible_to(actor, "view").filter(whitelisted=True).count(),
            "plans_running": LoopPlan.objects.visible_to(actor, "view").filter(status=PlanStatus.ACTIVE).count()}


def tiles(actor) -> list[dict]:
    if not access.can(actor, "livelihood.view"):
        return []
    s = summary(actor=actor)
    return [
        {"title": _("Household needs pending"), "value": s["needs_pending"],
         "sub": _("%(n)d past deadline") % {"n": s["needs_overdue"]}, "url": reverse("livelihood:index") + "?status=pending",
         "tone": "red" if s["needs_overdue"] else ("yellow" if s["needs_pending"] else "green")},
        {"title": _("Open medical emergencies"), "value": s["emergencies_open"],
         "sub": _("%(n)d past deadline") % {"n": s["emergencies_overdue"]}, "url": reverse("livelihood:emergencies"),
         "tone": "red" if s["emergencies_overdue"] else ("yellow" if s["emergencies_open"] else "green")},
        {"title": _("Utility tickets open"), "value": s["incidents_open"], "url": reverse("livelihood:essentials"),
         "tone": "yellow" if s["incidents_open"] else "green"},
        {"title": _("Closed loops running"), "value": s["plans_running"],
         "sub": _("%(n)d whitelisted enterprises") % {"n": s["enterprises_whitelisted"]}, "url": reverse("livelihood:enterprises")},
    ]
