"""Public bulletins (疫情通报): drafted from the command metrics at a cut-off, edited, approved and
published with every version kept. The figures are frozen from the metrics when the draft is made and
cannot be edited by hand; the text refers to them by placeholders, so a published number is always the
internal figure for the same cut-off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.models import Scoped


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Bulletin(Scoped):
    cut_off = models.DateTimeField(db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="text with {placeholders} for the figures")
    figures = models.JSONField(help_text="metric figures at the cut-off (read-only)")
    status = models.CharField(max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    published_text = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ACCESS_DOMAIN = "bulletins"

    class Meta:
        ordering = ["-cut_off", "-id"]

    def __str__(self):
        return self.title

    @property
    def public_title(self) -> str:
        return self.published_text.split("\n", 1)[0]


class BulletinVersion(models.Model):
    """Every saved state of a bulletin (edit, approval, publication)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10)
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version", "-id"]
