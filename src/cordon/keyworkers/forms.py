"""Key-worker inputs from pages: a register entry, an import file, a test result, a pass (validated here; the
services decide and name what is wrong)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.keyworkers.enums import Cargo, Category, TestOutcome, WorkShift
from cordon.regions.forms import RegionField


class KeyPersonForm(ServiceForm):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    employer = forms.CharField(label=_("Employer"), max_length=120)
    region = RegionField()
    plate = forms.CharField(label=_("Vehicle plate"), max_length=12, required=False)
    origin = forms.CharField(label=_("Route origin"), max_length=100, required=False,
                             help_text=_("An area of the city (code or name) or a six-digit division code"))
    destination = forms.CharField(label=_("Route destination"), max_length=100, required=False)
    cargo = forms.ChoiceField(label=_("Cargo"), choices=[("", "-"), *Cargo.choices], required=False)
    closed_loop = forms.BooleanField(label=_("Closed loop"), required=False)
    role = forms.CharField(label=_("Role"), max_length=60, required=False)
    shift = forms.ChoiceField(label=_("Shift"), choices=[("", "-"), *WorkShift.choices], required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].scope(actor, "change")


class EditForm(KeyPersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]


class ImportForm(ServiceForm):
    file = forms.FileField(label=_("CSV or Excel file"))


class TestForm(ServiceForm):
    sampled_at = CityDateTimeField(label=_("Sampled at"))
    outcome = forms.ChoiceField(label=_("Result"), choices=TestOutcome.choices)


class PassIssueForm(ServiceForm):
    days = forms.IntegerField(label=_("Days valid"), min_value=1, max_value=90, required=False)


class PassActionForm(ServiceForm):
    action = forms.ChoiceField(label=_("Action"), choices=[("suspend", _("Suspend")), ("reinstate", _("Reinstate")), ("revoke", _("Revoke"))])


class DueForm(forms.Form):
    state = forms.ChoiceField(label=_("Test"), required=False, choices=[("", _("Due, overdue or positive")), ("overdue", _("Overdue")),
                                                                         ("due_today", _("Due today")), ("positive", _("Positive"))])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])


class FlowForm(ServiceForm):
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    checkpoint = forms.IntegerField(label=_("Checkpoint"), required=False, min_value=1)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
