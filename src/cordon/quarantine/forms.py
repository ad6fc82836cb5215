"""Quarantine inputs from pages, validated here (core.forms) and decided by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.apikit import MAX_ID
from cordon.core.forms import ServiceForm
from cordon.quarantine.enums import (
    CATEGORY_LABELS,
    READINESS_ITEMS,
    READINESS_LABELS,
    SYMPTOM_LABELS,
    SYMPTOMS,
)

ID = {"min_value": 1, "max_value": MAX_ID}


class IdsField(forms.MultipleChoiceField):
    """Several database ids (checkboxes of a list): whole numbers, none refused as "not a choice"."""

    def valid_value(self, value):
        return str(value).isdigit() and 1 <= int(value) <= MAX_ID

    def clean(self, value):
        return [int(v) for v in super().clean(value)]


class SiteForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    region_id = forms.IntegerField(label=_("District"), **ID)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    lends_rooms = forms.BooleanField(label=_("Lends rooms to other districts"), required=False)


class StatusForm(ServiceForm):
    status = forms.CharField(label=_("Status"), max_length=20)


class RoomStatusForm(StatusForm):
    room_id = forms.IntegerField(label=_("Room"), **ID)


class StaffForm(ServiceForm):
    doctors_on_duty = forms.IntegerField(label=_("Doctors"), min_value=0, max_value=32767, required=False)
    nurses_on_duty = forms.IntegerField(label=_("Nurses"), min_value=0, max_value=32767, required=False)
    staff_note = forms.CharField(label=_("Staff note"), max_length=300, required=False)
    lends_rooms = forms.BooleanField(label=_("Lends rooms to other districts"), required=False)

    def clean(self):
        data = super().clean()
        for f in ("doctors_on_duty", "nurses_on_duty"):
            if data.get(f) is None and f not in self.errors:
                data[f] = 0
        return data


class ReadinessForm(ServiceForm):
    """The checklist: one box per item (an unticked box is sent as nothing, so it reads False)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for k in READINESS_ITEMS:
            self.fields[k] = forms.BooleanField(label=READINESS_LABELS[k], required=False)

    def submit(self, request, call, **kwargs):
        return super().submit(request, lambda **items: call(items=items), **kwargs)


class GenerateRoomsForm(ServiceForm):
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=60)
    per_floor = forms.IntegerField(label=_("Rooms per floor"), min_value=1, max_value=99)
    first_floor = forms.IntegerField(label=_("First floor"), min_value=-9, max_value=200, required=False)

    def clean_first_floor(self):
        value = self.cleaned_data.get("first_floor")
        return 2 if value is None else value


class FileForm(ServiceForm):
    file = forms.FileField(label=_("File"))


class BuildForm(ServiceForm):
    district_path = forms.CharField(label=_("District"), max_length=255)


class ConfirmForm(ServiceForm):
    line = IdsField(label=_("Placements"))


class ReadingForm(ServiceForm):
    temperature = forms.DecimalField(label=_("Temperature"), min_value=34, max_value=43)
    symptoms = forms.MultipleChoiceField(label=_("Symptoms"), choices=[(k, SYMPTOM_LABELS[k]) for k in SYMPTOMS],
                                         required=False)


class ReleaseForm(ServiceForm):
    vehicle = forms.CharField(label=_("Vehicle home"), max_length=30, required=False)
    escort = forms.CharField(label=_("Escort"), max_length=60, required=False)


class ResultForm(ServiceForm):
    test_id = forms.IntegerField(label=_("Test"), **ID)
    result = forms.CharField(label=_("Result"), max_length=10)


class HomeStayForm(ServiceForm):
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    kind = forms.CharField(label=_("Measure"), max_length=20)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "-"), *CATEGORY_LABELS.items()], required=False)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("Until"))
    community_worker_id = forms.IntegerField(label=_("Community worker"), required=False, **ID)


class TransferForm(ServiceForm):
    transfer_id = forms.IntegerField(label=_("Transfer"), **ID)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=30, required=False)
    escort = forms.CharField(label=_("Escort"), max_length=60, required=False)


class TransferCancelForm(ServiceForm):
    transfer_id = forms.IntegerField(label=_("Transfer"), **ID)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)
