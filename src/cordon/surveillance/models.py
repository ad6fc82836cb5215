"""Surveillance streams (daily counts per region), early-warning signals and Rt estimates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.models import Scoped


class StreamKind(models.TextChoices):
    FEVER_CLINIC = "fever_clinic", _("Fever clinic visits")
    PHARMACY = "pharmacy", _("Pharmacy sales of fever and cough medicine")
    POSITIVITY = "positivity", _("PCR test positivity")
    ILI = "ili", _("Influenza-like illness")
    SCHOOL_ABSENCE = "school_absence", _("School absence")
    WORK_ABSENCE = "work_absence", _("Work absence")


class Observation(Scoped):
    """One day's count of a stream in a region (district or street)."""

    stream = models.CharField(max_length=20, choices=StreamKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="observations")
    date = models.DateField()
    count = models.FloatField()
    denominator = models.FloatField(null=True, blank=True, help_text="e.g. samples tested, pupils enrolled")
    source = models.CharField(max_length=60, blank=True)

    ACCESS_DOMAIN = "surveillance"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "region", "date"], name="uniq_observation")]
        indexes = [models.Index(fields=["region", "stream", "date"])]


class SignalStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("signal", "New")
    TASKED = "tasked", pgettext_lazy("signal", "Verification task filed")
    DISMISSED = "dismissed", pgettext_lazy("signal", "Dismissed")


class Signal(Scoped):
    """An alarm from a detection method on a stream; the HQ triages it into a task or dismisses it."""

    stream = models.CharField(max_length=20, choices=StreamKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="signals")
    date = models.DateField()
    method = models.CharField(max_length=20)
    observed = models.FloatField()
    upperbound = models.FloatField()
    status = models.CharField(max_length=10, choices=SignalStatus.choices, default=SignalStatus.NEW, db_index=True)
    note = models.TextField(blank=True)
    task = models.ForeignKey("command.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ACCESS_DOMAIN = "surveillance"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "region", "date", "method"], name="uniq_signal")]


class RtEstimate(Scoped):
    """Cori Rt for a region over a window ending on date_end (computed from confirmed cases)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="rt_estimates")
    date_end = models.DateField()
    window = models.PositiveSmallIntegerField(default=7)
    mean = models.FloatField()
    std = models.FloatField()
    q025 = models.FloatField()
    median = models.FloatField()
    q975 = models.FloatField()
    cases = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    ACCESS_DOMAIN = "surveillance"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "date_end", "window"], name="uniq_rt")]


class Forecast(Scoped):
    """A 14-day projection of cases for a region and what it implies (contacts, rooms, tests)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="forecasts")
    made_on = models.DateField()
    days = models.JSONField(help_text="[{date, median, lower, upper, contacts, rooms, tests}]")
    r_mean = models.FloatField()
    contacts_per_case = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    ACCESS_DOMAIN = "surveillance"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "made_on"], name="uniq_forecast")]


class ForecastBacktest(models.Model):
    """The bounded renewal forecast scored on a simulated outbreak (cordon.analytics.forecast.backtest): forecast
    `horizon` days ahead at each day, the error of the daily median and the share of actual days inside the 95% band.
    City-wide figures about the method, no personal data and no area: not scoped."""

    run_at = models.DateTimeField()
    source = models.CharField(max_length=200, help_text="what produced it, e.g. the bench command and its options")
    people = models.PositiveIntegerField(help_text="population of the simulated city")
    days = models.PositiveSmallIntegerField(help_text="days of outbreak forecast from")
    horizon = models.PositiveSmallIntegerField()
    forecasts = models.PositiveSmallIntegerField()
    infections = models.PositiveIntegerField(default=0)
    mae = models.FloatField(help_text="mean absolute error of the daily median, cases a day")
    relative_error = models.FloatField(help_text="mean relative error of each horizon's total")
    coverage = models.FloatField(help_text="share of actual daily values inside the 95% band")
    bounded = models.BooleanField(help_text="the cumulative median never above the population")

    class Meta:
        ordering = ["-run_at", "-id"]
