"""Mass-testing rounds, sampling sites, pooled tubes, samples, lab results and single-tube retests.

Sample rows are written set-based (see services.samples_register) so a city-wide round is a few
hundred batched statements, not millions of ORM saves. Indexes on Sample are kept to the ones the
reads need: every extra index is paid on each of the millions of inserts. On PostgreSQL the sample table's
pages are filled to half (fillfactor 50, migration 0005), so the one result update of each sample is a HOT update
that writes none of its indexes.
"""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.screening.enums import Result, RetestStatus, RoundStatus, SampleResult, TubeStatus


class Round(Scoped):
    """One round of mass testing over a region (region_path = the region tested)."""

    name = models.CharField(max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="screening_rounds")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT, db_index=True)
    pool_size = models.PositiveSmallIntegerField(default=10, help_text="default tube size for sites without a zone rule")
    ruleset = models.CharField(max_length=40, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "screening"

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.name


class Site(Scoped):
    """A sampling site of a round, serving some grids in one time slot (region_path = its community)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    grid_paths = models.JSONField(default=list)
    population = models.PositiveIntegerField(default=0)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    tables = models.PositiveSmallIntegerField(default=1)
    samplers = models.PositiveSmallIntegerField(default=1)
    pool_size = models.PositiveSmallIntegerField(default=10)
    zone_level = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)

    ACCESS_DOMAIN = "screening"

    class Meta:
        ordering = ["round", "region__path", "id"]

    def __str__(self):
        return self.name


class Tube(Scoped):
    """A collection tube (barcode or specimen id, e.g. a UUID, unique city-wide) holding up to `capacity` swabs
    (region_path = site's)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tubes")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="tubes", db_index=False)
    code = models.CharField(max_length=64, unique=True)
    capacity = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=TubeStatus.choices, default=TubeStatus.OPEN)
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.PENDING)
    is_retest = models.BooleanField(default=False)
    ct_orf1ab = models.FloatField(null=True, blank=True)
    ct_n = models.FloatField(null=True, blank=True)
    lab = models.CharField(max_length=100, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    tested_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    # A positive pool resolves when the last member's single-tube retest result arrives: "negative" when every
    # member retested negative, "positive" when any did (result keeps what the lab reported for the pool).
    resolution = models.CharField(max_length=10, choices=Result.choices, blank=True, db_default="")  # raw inserts omit it
    resolved_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "screening"

    class Meta:
        indexes = [models.Index(fields=["round", "status"]), models.Index(fields=["site", "status"])]

    def __str__(self):
        return self.code


class Sample(Scoped):
    """One person's swab in a tube (region_path = the person's grid). One per person per round, plus retests."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="samples", db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="screening_samples")
    tube = models.ForeignKey(Tube, on_delete=models.CASCADE, related_name="samples")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", db_index=False)
    sampled_at = models.DateTimeField()
    sampler_id = models.BigIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=SampleResult.choices, default=SampleResult.PENDING)
    is_retest = models.BooleanField(default=False)

    ACCESS_DOMAIN = "screening"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "person"], condition=models.Q(is_retest=False),
                                               name="uniq_sample_round_person")]


class LabResult(Scoped):
    """One result a lab sent for a tube, as sent (region_path = the tube's). The tube holds the current result; a
    corrected result replaces it and the earlier row is kept with current=False (the history)."""

    tube = models.ForeignKey(Tube, on_delete=models.CASCADE, related_name="lab_results")
    source = models.CharField(max_length=20)
    message_id = models.CharField(max_length=199, blank=True)
    loinc = models.CharField(max_length=20, blank=True)
    method = models.CharField(max_length=10, blank=True)
    value = models.CharField(max_length=24)
    result = models.CharField(max_length=10, choices=Result.choices)
    status = models.CharField(max_length=12, default="final")
    ct_orf1ab = models.FloatField(null=True, blank=True)
    ct_n = models.FloatField(null=True, blank=True)
    lab = models.CharField(max_length=100, blank=True)
    tested_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    current = models.BooleanField(default=True)

    ACCESS_DOMAIN = "screening"

    class Meta:
        ordering = ["tube", "received_at", "id"]


class Retest(Scoped):
    """A member of a positive pool: held at home, re-sampled single-tube, then released or reported (region_path = grid)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="retests")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    pool_tube = models.ForeignKey(Tube, on_delete=models.CASCADE, related_name="retests")
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="+")
    retest_sample = models.ForeignKey(Sample, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=RetestStatus.choices, default=RetestStatus.PENDING, db_index=True)
    task_id = models.BigIntegerField(null=True, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    ACCESS_DOMAIN = "screening"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pool_tube", "person"], name="uniq_retest_pool_person")]
