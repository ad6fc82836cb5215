"""Bulletin inputs from pages: a draft's cut-off, an edit, a withdrawal (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import CityDateTimeField, ServiceForm


class DraftForm(ServiceForm):
    cut_off = CityDateTimeField(label=_("Cut-off"), required=False)
    region_path = forms.CharField(label=_("Region"), max_length=100, required=False)


class EditForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=20_000, widget=forms.Textarea)


class WithdrawForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
