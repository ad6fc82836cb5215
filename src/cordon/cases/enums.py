from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.lifecycle import Lifecycle


class CaseKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed case")
    ASYMPTOMATIC = "asymptomatic", _("Asymptomatic infection")


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Investigating")
    CORE_DONE = "core_done", _("Core tracing done")
    REPORT_DONE = "report_done", _("Report done")


STATUS_ORDER = [CaseStatus.REPORTED, CaseStatus.INVESTIGATING, CaseStatus.CORE_DONE, CaseStatus.REPORT_DONE]

# A case only moves forward on its tracing timeline (steps may be skipped: stamps of skipped steps are filled).
CASE_LIFECYCLE = Lifecycle(_("case"), {s.value: [t.value for t in STATUS_ORDER[i + 1:]] for i, s in enumerate(STATUS_ORDER)}, labels=CaseStatus)


class FoundBy(models.TextChoices):
    SCREENING = "screening", _("Mass screening")
    FEVER_CLINIC = "fever_clinic", _("Fever clinic")
    QUARANTINE = "quarantine", pgettext_lazy("found by", "In quarantine")
    COMMUNITY = "community", pgettext_lazy("found by", "Community")
    HOSPITAL = "hospital", _("Hospital report")
    MANUAL = "manual", _("Entered by hand")


class Severity(models.TextChoices):
    NONE = "none", _("No symptoms")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical")


class StayKind(models.TextChoices):
    PLACE = "place", _("Place")
    TRANSPORT = "transport", _("Transport")
