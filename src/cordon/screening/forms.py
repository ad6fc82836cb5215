"""Mass-testing inputs from pages: planning a round, adjusting a site, lab uploads and tube receipt, the single-tube
retest and the public lookup (validated here; decided by the services)."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.errors import ServiceError
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField
from cordon.regions.models import Region

Count = {"min_value": 1, "max_value": 1000}


class KeepsRefusal(ServiceForm):
    """A form whose page lists every row the service named (a lab file's problems)."""

    service_error: ServiceError | None = None

    def add_service_error(self, exc: ServiceError) -> None:
        self.service_error = exc
        super().add_service_error(exc)


class PlanForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    region = RegionField(error_messages={"invalid_choice": _("choose a region"), "required": _("choose a region")})
    starts_at = CityDateTimeField(label=_("Starts"))
    ends_at = CityDateTimeField(label=_("Ends"))
    pool_size = forms.IntegerField(label=_("Default pool size"), required=False, **Count)

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in regions])


class SiteForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    opens_at = CityDateTimeField(label=_("Opens"), required=False)
    closes_at = CityDateTimeField(label=_("Closes"), required=False)
    tables = forms.IntegerField(label=_("Tables"), required=False, **Count)
    samplers = forms.IntegerField(label=_("Samplers"), required=False, **Count)
    pool_size = forms.IntegerField(label=_("Pool size"), required=False, **Count)
    active = forms.CharField(label=pgettext_lazy("testing site", "Open"), required=False, max_length=1)

    def clean_active(self):
        return self.cleaned_data["active"] == "1"


class ResultsFileForm(KeepsRefusal):
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a CSV or Excel file.")})
    lab = forms.CharField(label=_("Lab"), max_length=100, required=False)


class Hl7Form(KeepsRefusal):
    file = forms.FileField(label=_("File"), required=False)
    message = forms.CharField(label=_("HL7 message"), required=False, strip=False, max_length=10_000_000)

    def clean(self):
        data = super().clean()
        upload = data.pop("file", None)
        data["message"] = upload.read().decode("utf-8", "replace") if upload else data.get("message", "")
        return data


class ReceiveForm(KeepsRefusal):
    codes = forms.CharField(label=_("Tube barcodes"), max_length=1_000_000)
    lab = forms.CharField(label=_("Lab"), max_length=100, required=False)

    def clean_codes(self):
        codes = [c for c in self.cleaned_data["codes"].replace(",", "\n").split() if c.strip()]
        if any(len(c) > 64 for c in codes):
            raise forms.ValidationError(_("a barcode is longer than 64 characters"))
        return codes


class RetestForm(ServiceForm):
    tube = forms.CharField(label=_("Single tube barcode"), max_length=64)


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone number on record"), max_length=20)


class CoverageForm(forms.Form):
    """The coverage page's view: the level rolled up to, under which region, and the grid whose unsampled residents
    are listed."""

    level = forms.TypedChoiceField(label=_("Level"), choices=[(n, n) for n in (2, 3, 4, 5)], coerce=int, required=False,
                                   empty_value=2)
    parent = forms.CharField(label=_("Under"), max_length=255, required=False)
    grid = forms.CharField(label=_("Grid"), max_length=255, required=False)

    def view(self, request) -> dict:
        """The clean choice; a value that does not fit is named on the page and the default is shown."""
        if self.is_valid():
            return {k: v or (2 if k == "level" else None) for k, v in self.cleaned_data.items()}
        messages.error(request, "; ".join(f"{self.fields[n].label}: {' '.join(e)}" for n, e in self.errors.items()))
        return {"level": 2, "parent": None, "grid": None}
