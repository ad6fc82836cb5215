"""Assist inputs from pages: the outgoing request, acceptance, the result, declining, the Excel upload, partners."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.assist.enums import Action, Result
from cordon.assist.models import Partner
from cordon.contacts.enums import Category
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField


class PartnerChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Partner.objects.filter(active=True).order_by("region_code"), label=_("Partner city"), **kwargs)


class FromRiskForm(forms.Form):
    """`?risk=<id>`: the risk person a request starts from."""

    risk = forms.IntegerField(min_value=1, required=False)


class OutgoingForm(ServiceForm):
    partner = PartnerChoice()
    region = RegionField(required=False, label=_("Sending area"))
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address there"), max_length=200, required=False)
    residence_code = forms.CharField(label=_("Division code there"), max_length=12, required=False)
    case_ref = forms.CharField(label=_("Case"), max_length=60, required=False)
    contact_kind = forms.ChoiceField(label=_("Kind of contact"), choices=[("", "—"), *Category.choices], required=False)
    last_exposure = CityDateTimeField(label=_("Last exposure"), required=False)
    exposure_place = forms.CharField(label=_("Place of exposure"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    action = forms.ChoiceField(label=_("Requested action"), choices=Action.choices, initial=Action.VERIFY)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].scope(actor, "change")


class AcceptForm(ServiceForm):
    grid = RegionField(required=False, label=_("Grid where the person lives"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].scope(actor, "change")
        self.fields["grid"].queryset = self.fields["grid"].queryset.filter(level=5)


class ReplyForm(ServiceForm):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RejectForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class UploadForm(ServiceForm):
    partner = PartnerChoice()
    file = forms.FileField(label=_("Excel or CSV file"))


class PartnerForm(ServiceForm):
    name = forms.CharField(label=_("Authority"), max_length=100)
    region_code = forms.CharField(label=_("Division code"), max_length=6)
    secret = forms.CharField(label=_("Shared secret"), min_length=16, max_length=128, widget=forms.PasswordInput)
    endpoint_url = forms.URLField(label=_("Endpoint URL"), required=False)
    contact_name = forms.CharField(label=_("Contact officer"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
