from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.lifecycle import Lifecycle


class Category(models.TextChoices):
    CLOSE_CONTACT = "close_contact", _("Close contact")
    SECONDARY_CONTACT = "secondary_contact", _("Secondary close contact")
    SPACETIME_COMPANION = "spacetime_companion", _("Time-space companion")
    HIGH_RISK_ARRIVAL = "high_risk_arrival", _("Arrival from a high-risk area")
    MEDIUM_RISK_ARRIVAL = "medium_risk_arrival", _("Arrival from a medium-risk area")
    LOW_RISK_ARRIVAL = "low_risk_arrival", _("Arrival from a low-risk area")
    DISCHARGED_CASE = "discharged_case", _("Discharged case")


class RiskStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    UNDER_MEASURES = "under_measures", _("Under measures")
    RELEASED = "released", _("Released")


OPEN_STATUSES = (RiskStatus.PROPOSED, RiskStatus.CONFIRMED, RiskStatus.UNDER_MEASURES)

# A proposal is confirmed or rejected by a tracer; a confirmed person gets a measure plan (or is released at once when
# the rule set in force plans no measure for the category), and a plan ends in release. Rejected and released are final.
RISK_LIFECYCLE = Lifecycle(_("risk person"), {
    RiskStatus.PROPOSED: [RiskStatus.CONFIRMED, RiskStatus.REJECTED],
    RiskStatus.CONFIRMED: [RiskStatus.UNDER_MEASURES, RiskStatus.RELEASED],
    RiskStatus.UNDER_MEASURES: [RiskStatus.RELEASED],
    RiskStatus.REJECTED: [],
    RiskStatus.RELEASED: [],
}, labels=RiskStatus)
