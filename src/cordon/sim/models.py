"""Stored results of twin runs: one row per `cordon sim run` and per `cordon sim compare`.

Runs execute in their own database (var/sim_pN.sqlite3) and leave their results in var/sim/<run_id>/
(run.json plus PNG charts); the web page imports run.json files it has not seen into this table, so
the demo server lists runs made in any database."""

from django.db import models


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
