"""Workforce inputs from pages: a mission, a person for the reserve, availability, a deployment (decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.fields import RegionSearchField
from cordon.workforce.models import MissionKind, Skill

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class MissionForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MissionKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    region_id = RegionSearchField(label=_("Area"))
    starts_at = CityDateTimeField(label=_("Starts"))
    ends_at = CityDateTimeField(label=_("Ends"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Skill.choices:  # the need per skill: need_<skill>
            self.fields[f"need_{value}"] = forms.IntegerField(label=label, min_value=0, max_value=100_000, required=False)

    def clean(self):
        data = super().clean()
        data["needs"] = {s: data.pop(f"need_{s}") for s in Skill.values if data.get(f"need_{s}") is not None}
        for s in Skill.values:
            data.pop(f"need_{s}", None)
        return data


class WorkerForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    home_district_id = RegionSearchField(label=_("Home district"))
    skills = forms.MultipleChoiceField(label=_("Skills"), choices=Skill.choices)
    certificates = forms.CharField(label=_("Certificates"), max_length=500, required=False)
    closed_loop = forms.BooleanField(label=_("Closed loop"), required=False)
    dormitory = forms.CharField(label=_("Dormitory"), max_length=100, required=False)


class AvailabilityForm(ServiceForm):
    pk = forms.IntegerField(min_value=1)
    available = forms.TypedChoiceField(label=_("Available"), choices=YES_NO, coerce=lambda v: v == "1")


class DeployForm(ServiceForm):
    worker_id = forms.IntegerField(label=_("Person"), min_value=1)
    skill = forms.ChoiceField(label=_("Skill"), choices=Skill.choices)


class ReleaseForm(ServiceForm):
    deployment = forms.IntegerField(min_value=1)
