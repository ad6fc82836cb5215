"""Account inputs from pages: naming a new API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm


class TokenForm(ServiceForm):
    name = forms.CharField(label=_("Name"), min_length=1, max_length=100, strip=True)
