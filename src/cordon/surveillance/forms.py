"""Surveillance inputs from pages: which region and stream the page shows, a signal's triage, an upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.surveillance.models import SignalStatus, StreamKind


class ViewForm(forms.Form):
    """What the page shows (a GET form): one district's charts and the signals of one status (new unless chosen)."""

    region = forms.CharField(label=_("Area"), max_length=255, required=False)
    stream = forms.ChoiceField(label=_("Stream"), choices=StreamKind.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=SignalStatus.choices, required=False)

    def shown(self) -> dict:
        """The chosen values, an empty or bad one as its default (region: the caller's)."""
        self.is_valid()  # a bad value of one field leaves the others chosen
        data = self.cleaned_data
        return {"region": data.get("region") or "", "stream": data.get("stream") or StreamKind.FEVER_CLINIC,
                "status": data.get("status") or SignalStatus.NEW}


class TriageForm(ServiceForm):
    action = forms.CharField(label=_("Action"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class UploadForm(ServiceForm):
    file = forms.FileField(label=_("File"))
