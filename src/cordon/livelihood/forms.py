"""Livelihood inputs from pages: needs, teams, emergencies, utility tickets, supply points, enterprises, closed-loop
plans and the public portal (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.forms import ServiceForm
from cordon.livelihood.enums import (
    DispatchKind,
    EmergencyKind,
    IncidentKind,
    IncidentStatus,
    NeedKind,
    Sector,
    StockLevel,
    SupplyPointKind,
)
from cordon.livelihood.models import SupplyPoint
from cordon.regions.fields import RegionSearchField


def _yes(value) -> bool:
    return value == "1"


YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _region():
    return RegionSearchField(label=_("Area"))


def _pk():
    """The row a table's button names (its hidden `pk`)."""
    return forms.IntegerField(min_value=1)


class NeedForm(ServiceForm):
    household = forms.CharField(label=_("Household"), max_length=30, help_text=_("Household number, ID number or phone"))
    kind = forms.ChoiceField(label=_("Kind"), choices=NeedKind.choices)
    detail = forms.CharField(label=_("Detail"), max_length=500, required=False)


class AssignForm(ServiceForm):
    team = forms.IntegerField(label=_("Team"), min_value=1)


class DeliverForm(ServiceForm):
    proof = forms.FileField(label=_("Photo"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CancelForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TeamForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    region_id = _region()
    leader = forms.CharField(label=_("Leader"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=1000, required=False)

    def clean_members(self):
        return self.cleaned_data["members"] or 2


class EmergencyForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EmergencyKind.choices)
    person = forms.CharField(label=_("Person"), max_length=30, required=False, help_text=_("Person number, ID number or phone"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    detail = forms.CharField(label=_("Detail"), max_length=500, required=False)


class DispatchForm(ServiceForm):
    dispatch_kind = forms.ChoiceField(label=_("Dispatch"), choices=DispatchKind.choices)
    hospital = forms.CharField(label=_("Hospital"), max_length=100, required=False)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=40, required=False)


class OutcomeForm(ServiceForm):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)


class IncidentForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    region_id = _region()
    address = forms.CharField(label=_("Address"), max_length=200)
    detail = forms.CharField(label=_("Detail"), max_length=500, required=False)
    households = forms.IntegerField(label=_("Households affected"), min_value=0, max_value=1_000_000, required=False)

    def clean_households(self):
        value = self.cleaned_data["households"]
        return 1 if value is None else value


class IncidentStatusForm(ServiceForm):
    pk = _pk()
    status = forms.ChoiceField(label=_("Status"), choices=IncidentStatus.choices)
    resolution = forms.CharField(label=_("Resolution"), max_length=300, required=False)


class SupplyPointForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SupplyPointKind.choices)
    region_id = _region()
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class StockForm(ServiceForm):
    """A supply point's stock per category (a blank category is left as it was) and whether it is open."""
    pk = _pk()
    open = forms.BooleanField(label=pgettext_lazy("supply point", "Open"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SupplyPoint.STOCK_FIELDS:
            self.fields[name] = forms.ChoiceField(label=name, choices=StockLevel.choices, required=False)

    def clean(self):
        data = super().clean()
        data["levels"] = {f: v for f in SupplyPoint.STOCK_FIELDS if (v := data.pop(f, ""))}
        return data


class EnterpriseForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    credit_code = forms.CharField(label=_("Credit code"), max_length=18)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    region_id = _region()
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    liaison = forms.CharField(label=_("Liaison"), max_length=50, required=False)
    liaison_phone = forms.CharField(label=_("Liaison's phone"), max_length=20, required=False)


class WhitelistForm(ServiceForm):
    on = forms.TypedChoiceField(label=_("Whitelisted"), choices=YES_NO, coerce=_yes)


class PlanForm(ServiceForm):
    start = forms.DateField(label=_("Start"))
    end = forms.DateField(label=_("End"))
    dormitory = forms.CharField(label=_("Dormitory"), max_length=200)
    test_every_days = forms.IntegerField(label=_("Test every (days)"), min_value=1, max_value=365, required=False)


class RosterForm(ServiceForm):
    """The roster pasted as lines: name, ID number, phone, role, dorm room, vehicle."""
    rows = forms.CharField(label=_("Roster"), max_length=200_000)

    def clean_rows(self):
        rows = []
        for line in self.cleaned_data["rows"].splitlines():
            if not line.strip():
                continue
            cells = [c.strip() for c in line.replace("，", ",").split(",")]
            cells += [""] * (6 - len(cells))
            rows.append(dict(zip(["name", "id_number", "phone", "role", "dorm_room", "vehicle"], cells[:6], strict=True)))
        return rows


class StaffTestForm(ServiceForm):
    staff = _pk()
    tested_on = forms.DateField(label=_("Tested on"))
    negative = forms.TypedChoiceField(label=_("Negative"), choices=YES_NO, coerce=_yes, required=False, empty_value=False)


class PortalForm(ServiceForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=[*NeedKind.choices, *EmergencyKind.choices])
    detail = forms.CharField(label=_("Detail"), max_length=500, required=False)
