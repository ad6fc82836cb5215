"""Personnel reserves: a roster with skills, certificates, home district and availability; missions
(testing sites, rounds, zones, checkpoints) with their staffing need; deployments in shifts (a person is
never booked twice at once); closed-loop staff with their dormitory and test schedule.
region_path: a worker belongs to the home district, a mission and its deployments to the mission's region."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.models import Scoped


class Skill(models.TextChoices):
    MEDICAL = "medical", _("Medical staff")
    TRACER = "tracer", _("Tracer")
    SAMPLER = "sampler", _("Sampler")
    LAB = "lab", _("Lab staff")
    DRIVER = "driver", _("Driver")
    VOLUNTEER = "volunteer", _("Volunteer")


class MissionKind(models.TextChoices):
    SITE = "site", _("Testing or quarantine site")
    ROUND = "round", _("Testing round")
    ZONE = "zone", _("Zone")
    CHECKPOINT = "checkpoint", _("Checkpoint")


class Worker(Scoped):
    name = models.CharField(max_length=50)
    phone = models.CharField(max_length=20, blank=True)
    skills = models.JSONField(default=list)
    certificates = models.JSONField(default=list, blank=True)
    home_district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    available = models.BooleanField(default=True, db_index=True)
    closed_loop = models.BooleanField(default=False)
    dormitory = models.CharField(max_length=100, blank=True)
    test_every_days = models.PositiveSmallIntegerField(default=1)
    last_test = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name


class Mission(Scoped):
    kind = models.CharField(max_length=10, choices=MissionKind.choices)
    name = models.CharField(max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    needs = models.JSONField(default=dict, help_text="{skill: people needed}")
    source = models.CharField(max_length=80, blank=True, db_index=True, help_text="e.g. screening.round:12")

    def __str__(self):
        return self.name


class Deployment(Scoped):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="deployments")
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="deployments")
    skill = models.CharField(max_length=10, choices=Skill.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["worker", "starts_at"])]
