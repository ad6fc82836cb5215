"""Checkpoint inputs from pages: registering a checkpoint, a shift, a green-lane pass (issue, revoke), and the
public code look-up (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.checkpoints.enums import CheckpointKind, Direction
from cordon.core.apikit import MAX_ID
from cordon.core.autocomplete import SearchField
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField


class CheckpointForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckpointKind.choices)
    region_path = RegionField()
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_path"].scope(actor, "view")  # the service refuses a region the actor may not change


class ShiftForm(ServiceForm):
    starts_at = CityDateTimeField(label=_("From"))
    ends_at = CityDateTimeField(label=_("To"))
    leader = forms.CharField(label=_("Leader"), max_length=50)
    leader_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    staff = forms.CharField(label=_("Staff"), max_length=1000, required=False)

    def clean_staff(self) -> list[str]:
        """Names separated by commas (Chinese or Latin)."""
        return [s.strip() for s in self.cleaned_data["staff"].replace("，", ",").split(",") if s.strip()]


class PassForm(ServiceForm):
    plate = forms.CharField(label=_("Plate"), max_length=16)
    enterprise = forms.CharField(label=_("Enterprise"), max_length=120)
    cargo = forms.CharField(label=_("Cargo"), max_length=120, required=False)
    driver = forms.CharField(label=_("Driver"), max_length=50, required=False)
    region_path = SearchField("region", path=True, label=_("Region"))  # chosen by name; the suggestion sends the path
    valid_from = CityDateTimeField(label=_("From"))
    valid_until = CityDateTimeField(label=_("Until"))


class PassRevokeForm(ServiceForm):
    revoke = forms.IntegerField(label=_("Pass"), min_value=1, max_value=MAX_ID)


class CodeLookupForm(ServiceForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20)


class PassCheckForm(ServiceForm):
    """The checkpoint page's key-worker pass field: scan the pass QR or type its number (recognised by keyworkers)."""

    kw_pass = forms.CharField(label=_("Key worker or driver pass"), max_length=600)
    subject = forms.ChoiceField(label=_("Who"), choices=[("vehicle", _("Driver with vehicle")), ("person", _("Key worker on foot"))])
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    plate = forms.CharField(label=_("Vehicle plate"), max_length=16, required=False)
    destination = forms.CharField(label=_("Declared destination"), max_length=100, required=False)
