"""Presence inputs from pages: the upload of a CSV/Excel file (validated here; stored by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm


class UploadForm(ServiceForm):
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a CSV or Excel file.")})
    source = forms.CharField(label=_("Operator or batch name"), max_length=80, required=False)
