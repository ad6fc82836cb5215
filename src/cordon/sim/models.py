"""Stored results of twin runs: one row per `cordon sim run` and per `cordon sim compare`.

Runs execute in their own database (var/sim_pN.sqlite3) and leave their results in var/sim/<run_id>/
(run.json plus PNG charts); the web page imports run.json files it has not seen into this table, so
the demo server lists runs made in any database."""

from django.conf import settings
from django.db import models

from cordon.sim.enums import DrillStatus


class SimRun(models.Model):
    KIND_CHOICES = [("run", "run"), ("compare", "compare"), ("demo", "demo")]

    run_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default="run")
    label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    database = models.CharField(max_length=200, blank=True)
    config = models.JSONField(default=dict)
    kpis = models.JSONField(default=dict, help_text="run: KPI dict; compare: {label: KPI dict}")
    series = models.JSONField(default=dict, help_text="run: daily series; compare: {label: series}")
    charts = models.JSONField(default=list, help_text="PNG file names under var/sim/<run_id>/")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.run_id} ({self.kind})"


class Drill(models.Model):
    """A twin run the HQ started from the web: a background job runs `cordon sim run` in a subprocess on the
    simulation's own database (var/sim_pN.sqlite3), its progress in var/sim/<run_id>/progress.json; the finished
    run is the SimRun of the same run_id."""

    run_id = models.CharField(max_length=64, unique=True)
    scenario = models.CharField(max_length=40)
    people = models.PositiveIntegerField()
    days = models.PositiveIntegerField()
    seed = models.PositiveIntegerField(default=1)
    response = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=DrillStatus.choices, default=DrillStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"drill {self.run_id} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (DrillStatus.QUEUED, DrillStatus.RUNNING)
