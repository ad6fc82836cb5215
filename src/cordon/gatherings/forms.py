"""Gathering inputs from pages: registration and suspension (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField


class RegisterForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    organizer = forms.CharField(label=_("Organizer"), max_length=100)
    organizer_phone = forms.CharField(label=_("Organizer's phone"), max_length=30)
    region = RegionField(max_level=4)
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=1_000_000)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    starts_at = CityDateTimeField(label=_("Starts"))
    ends_at = CityDateTimeField(label=_("Ends"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].scope(actor, "change")


class SuspendForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
