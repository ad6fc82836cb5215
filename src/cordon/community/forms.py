"""Community inputs from pages: a door check, a compound pass or passage, a village checkpoint, a returnee, and
the progress and grid views' choices (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.community import services
from cordon.core.apikit import MAX_ID
from cordon.core.forms import ServiceForm
from cordon.regions.fields import RegionSearchField


def _id(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_ID, **kwargs)


class DoorCheckForm(ServiceForm):
    household_id = _id(_("Household"))
    answered = forms.BooleanField(label=_("Answered the door"), required=False)
    all_present = forms.BooleanField(label=_("All present"), required=False)
    absent = forms.IntegerField(label=_("Absent"), min_value=0, max_value=100, required=False)
    symptoms = forms.BooleanField(label=_("Fever or symptoms"), required=False)
    symptom_note = forms.CharField(label=_("Which symptoms"), max_length=200, required=False)
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=[(n, n) for n in services.NEED_KINDS], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_absent(self) -> int:
        return self.cleaned_data["absent"] or 0


class CompoundForm(ServiceForm):
    """A compound chosen as "community id:compound name" (the entrance page's select)."""

    compound_key = forms.CharField(label=_("Compound"), max_length=130)

    def clean_compound_key(self) -> tuple[int, str]:
        community, _sep, compound = self.cleaned_data["compound_key"].partition(":")
        if not community.isdigit() or not compound:
            raise forms.ValidationError(_("choose a compound"))
        return int(community), compound

    def clean(self):
        """The services take the community and the compound apart."""
        data = super().clean()
        if (key := data.pop("compound_key", None)) is not None:
            data["community_id"], data["compound"] = key
        return data


class EntrancePassForm(CompoundForm):
    holder_name = forms.CharField(label=_("Name"), max_length=50)
    holder_phone = forms.CharField(label=_("Phone"), max_length=20)
    role = forms.ChoiceField(label=_("Role"), choices=[(r, r) for r in services.PASS_ROLES])
    valid_from = forms.DateField(label=_("Valid from"), required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False)


class PassageForm(CompoundForm):
    direction = forms.ChoiceField(label=_("Direction"), choices=[("in", _("In")), ("out", _("Out"))])
    pass_code = forms.CharField(label=_("Pass code"), max_length=16, required=False)
    person_id = _id(_("Resident"), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=100, required=False)
    override_reason = forms.CharField(label=_("Override reason"), max_length=200, required=False,
                                      help_text=_("an exit the rules refuse (medical emergency, childbirth, dialysis): "
                                                  "street or district officer only"))


class VillageCheckpointForm(ServiceForm):
    village_id = _id(_("Village"))
    name = forms.CharField(label=_("Name"), max_length=100)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    staff = forms.CharField(label=_("Staff"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class ReturneeForm(ServiceForm):
    village_id = _id(_("Village"))
    checkpoint_id = _id(_("Checkpoint"), required=False)
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    from_place = forms.CharField(label=_("Coming from"), max_length=200)
    from_risk = forms.ChoiceField(label=_("Risk of origin"), choices=[(r, r) for r in services.RISK_LEVELS], required=False)
    arrived_on = forms.DateField(label=_("Arrived on"), required=False)
    grid_id = RegionSearchField(label=_("Destination grid"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ProgressForm(forms.Form):
    """The progress page's choice of area (a region path prefix)."""

    parent = forms.CharField(label=_("Area"), max_length=100, required=False)


class GridViewForm(forms.Form):
    """Which residents of a grid the page lists."""

    only = forms.ChoiceField(label=_("Show"), required=False, choices=[("", _("all")), ("vulnerable", _("vulnerable")),
                                                                       ("measures", _("under measures")), ("untested", _("not tested"))])


def choice(form: forms.Form, name: str) -> str:
    """A view form's cleaned choice, or "" when it does not fit."""
    return form.cleaned_data.get(name) or "" if form.is_valid() else ""
