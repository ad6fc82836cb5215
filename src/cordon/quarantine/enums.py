"""Choices of the quarantine app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROPOSED = "proposed", _("Proposed")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REQUEST = (RequestStatus.QUEUED, RequestStatus.PROPOSED, RequestStatus.PLACED)

# The categories contacts/cases hand over (RiskPerson.category), plus confirmed cases awaiting a bed
# and a manual entry by the site or district.
CATEGORIES = (
    "close_contact", "secondary_contact", "spacetime_companion", "high_risk_arrival", "medium_risk_arrival",
    "low_risk_arrival", "discharged_case", "confirmed", "asymptomatic", "manual",
)
CATEGORY_LABELS = {
    "close_contact": _("Close contact"), "secondary_contact": _("Secondary contact"),
    "spacetime_companion": _("Space-time companion"), "high_risk_arrival": _("High-risk arrival"),
    "medium_risk_arrival": _("Medium-risk arrival"), "low_risk_arrival": _("Low-risk arrival"),
    "discharged_case": _("Discharged case"), "confirmed": _("Confirmed case"), "asymptomatic": _("Asymptomatic"),
    "manual": _("Manual"),
}
