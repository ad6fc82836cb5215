"""Health status inputs from pages: the look-up by ID number."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    """A resident looked up by ID number (a GET form: a look-up writes nothing)."""

    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False, strip=True)
