"""Official documents (隔离告知书, 解除隔离证明, 封控/解封通告): the template versions an administrator uploads, the
per-kind, per-unit, per-year counters behind the numbers, and the issued documents with what they state, their
signature and their state (valid, superseded, revoked). region_path of a document is its record's region."""

from django.conf import settings
from django.db import models

from cordon.core.models import Scoped
from cordon.documents.enums import DocStatus, Kind, Record


class Template(models.Model):
    """One version of a kind's .docx template (version 1 is the shipped default)."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    version = models.PositiveIntegerField()
    content = models.BinaryField()
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    placeholders = models.JSONField(default=list)
    note = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="documents_template_kind_version")]
        ordering = ["kind", "-version"]

    def __str__(self):
        return f"{self.kind} v{self.version}"


class Counter(models.Model):
    """The last serial given per kind, issuing unit (its region path) and year: numbers without gaps."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    unit_path = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "unit_path", "year"], name="documents_counter_unique")]


class Document(Scoped):
    public_id = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    record = models.CharField(max_length=8, choices=Record.choices)
    record_id = models.BigIntegerField()
    number = models.CharField(max_length=80, db_index=True)
    serial = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    unit_name = models.CharField(max_length=120)
    unit_path = models.CharField(max_length=100)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="documents")
    content = models.JSONField(default=dict)  # what the document states, unmasked (placeholder: value)
    label = models.CharField(max_length=200, blank=True)  # masked: whom or what it concerns, for lists
    issued_at = models.DateTimeField(db_index=True)
    issued_on = models.DateField()  # the city's date of issue
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key_id = models.CharField(max_length=20)
    signature = models.CharField(max_length=120)
    status = models.CharField(max_length=12, choices=DocStatus.choices, default=DocStatus.VALID, db_index=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "unit_path", "year", "serial"], name="documents_number_unique")]
        indexes = [models.Index(fields=["record", "record_id"], name="documents_doc_record_idx")]

    def __str__(self):
        return self.number
