"""Document inputs from pages: issuing from a record, revoking, uploading a replacement template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.documents.enums import Kind, Record


class IssueForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    record = forms.ChoiceField(label=_("Record"), choices=Record.choices)
    record_id = forms.IntegerField(label=_("Record number"), min_value=1, max_value=2**63 - 1)
    back = forms.CharField(required=False, max_length=300)  # the record's page, to return to when refused


class RevokeForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TemplateForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    file = forms.FileField(label=_("Template file (.docx)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FormatForm(forms.Form):
    fmt = forms.ChoiceField(choices=[("docx", "docx"), ("pdf", "pdf")])
