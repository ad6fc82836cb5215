"""Venue inputs from pages: a closure order, lifting it, and one venue's compliance visit or early reopening
(validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.apikit import MAX_ID
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField
from cordon.venues.models import VenueKind


class ClosureForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kinds = forms.MultipleChoiceField(label=_("Kinds"), choices=VenueKind.choices)
    area_path = RegionField(max_level=4)
    starts_at = CityDateTimeField(label=_("From"))
    ends_at = CityDateTimeField(label=_("Until"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_path"].scope(actor, "change")


class NoteForm(ServiceForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class NoticeForm(NoteForm):
    notice = forms.IntegerField(label=_("Venue"), min_value=1, max_value=MAX_ID)
