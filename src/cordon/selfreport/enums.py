"""Choices of the selfreport app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    """The home measures that enrol a person (the status reasons quarantine and contacts set)."""

    HOME_ISOLATION = "home_isolation", _("Home isolation")
    HOME_MONITORING = "home_monitoring", _("Home health monitoring")


class EndReason(models.TextChoices):
    MEASURES_ENDED = "measures_ended", _("Measures ended")
    PERIOD_OVER = "period_over", _("Period over")


class DayState(models.TextChoices):
    """A person's state on a city day, as the officer pages filter it."""

    REPORTED = "reported", _("Self-reported")
    FEVER = "fever", _("Fever or symptoms")
    MISSING = "missing", _("Not reported")


# The task kinds this app files (command tasks for the person's grid worker).
TASK_FEVER = "selfreport_fever"
TASK_MISSED = "selfreport_missed"


# Words for the symptom codes of the shipped self-report questionnaire (its choices; an edited version's new code is
# shown as the code itself).
SYMPTOM_LABELS = {
    "fever": _("Fever"), "cough": _("Cough"), "sore_throat": _("Sore throat"), "fatigue": _("Fatigue"),
    "smell_taste": _("Loss of smell or taste"), "diarrhea": _("Diarrhoea"),
}
