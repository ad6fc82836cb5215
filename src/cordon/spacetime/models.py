"""Cell presence: who was in which 800 m cell (see cells.py) from when to when, as delivered by an
operator or derived from check-ins, in batches.

Rows are stored in pieces that never cross local midnight (the loader splits longer stays), so no
row is longer than 24 h and every query can bound `start` from below by the window minus a day.
Two indexes serve identification: the unique (person, start, cell_id) one for a case's own presence
by time, and the covering (cell_id, start, end, person) one for everybody else's presence in a cell
by time (read without touching the table)."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped


class PresenceBatch(models.Model):
    """One load (file, API call or synthesis). `key` is the digest of its normalised rows (or the
    client's batch name), so loading the same batch again stores nothing new."""

    key = models.CharField(max_length=80, unique=True)
    digest = models.CharField(max_length=80, blank=True, help_text="sha256 of the source and normalised rows")
    source = models.CharField(max_length=80, help_text="operator or batch name")
    filename = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, default="upload", help_text="upload, api or synthetic")
    received = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    first_start = models.DateTimeField(null=True, blank=True)
    last_end = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.source} #{self.pk}"




class BatchArea(Scoped):
    """The part of a batch inside one grid (region_path): what an area's officers see of it."""

    batch = models.ForeignKey(PresenceBatch, on_delete=models.CASCADE, related_name="areas")
    rows = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    first_start = models.DateTimeField(null=True, blank=True)
    last_end = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "spacetime"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "region_path"], name="spacetime_batcharea_uniq")]


class CellPresence(Scoped):
    """A person in a cell from start to end (one local day at most). region_path is the person's."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="cell_presence", db_index=False)
    cell_id = models.BigIntegerField(help_text="cell code, see cordon.spacetime.cells")
    start = models.DateTimeField()
    end = models.DateTimeField()
    source = models.CharField(max_length=80, blank=True)
    batch = models.ForeignKey(PresenceBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)

    ACCESS_DOMAIN = "spacetime"

    class Meta:
        indexes = [models.Index(fields=["cell_id", "start", "end", "person"], name="presence_cell_time")]
        constraints = [
            models.UniqueConstraint(fields=["person", "start", "cell_id"], name="presence_person_time"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="presence_end_after_start"),
        ]

    def __str__(self):
        return f"{self.person_id}@{self.cell_id} {self.start:%Y-%m-%d %H:%M}"



