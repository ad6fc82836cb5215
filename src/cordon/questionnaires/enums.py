"""Questionnaire kinds, version statuses and question types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CASE_INVESTIGATION = "case_investigation", _("Case investigation")
    CONTACT_FOLLOWUP = "contact_followup", _("Contact follow-up")
    SELF_REPORT = "self_report", _("Self-report")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class QuestionType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")


class ConditionOp(models.TextChoices):
    EQUALS = "equals", _("equals")
    NOT_EQUALS = "not_equals", _("does not equal")
    CONTAINS = "contains", _("contains")
    ANY_OTHER_THAN = "any_other_than", _("has an answer other than")
    ANSWERED = "answered", _("is answered")


# What each kind of subject a response is about is answered with (subject_type -> questionnaire kind).
SUBJECT_KINDS = {
    "cases.case": Kind.CASE_INVESTIGATION,
    "contacts.riskperson": Kind.CONTACT_FOLLOWUP,
    "selfreport.report": Kind.SELF_REPORT,
}
