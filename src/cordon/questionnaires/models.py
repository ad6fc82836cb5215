"""Questionnaires as data: a questionnaire (code, title, kind) has numbered versions; a version is a draft
(editable), published (frozen, at most one per questionnaire) or retired. A version's definition is a frozen
JSON document: {"sections": [{"code", "title", "title_en"?, "questions": [{"code", "type", "label",
"label_en"?, "required", "min"?, "max"?, "choices"?: [{"value", "label", "label_en"?, "exclusive"?}],
"condition"?: {"question", "op", "value"}, "help"?}]}]}. A response keeps the version it was given on.

Questionnaires and versions are city-wide definitions (not scoped); responses are scoped by the region
of their subject (a case's grid, a risk person's grid)."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.questionnaires.enums import Kind, VersionStatus


class Questionnaire(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self):
        return self.title


class Version(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True)
    definition = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_number"),
            models.UniqueConstraint(fields=["questionnaire"], condition=models.Q(status="published"), name="questionnaire_one_published"),
            models.UniqueConstraint(fields=["questionnaire"], condition=models.Q(status="draft"), name="questionnaire_one_draft"),
        ]

    def __str__(self):
        return f"{self.questionnaire.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Response(Scoped):
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="responses")
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    answers = models.JSONField(default=dict)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_by_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(db_index=True)

    ACCESS_DOMAIN = "questionnaires"

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
