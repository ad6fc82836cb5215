"""Command inputs from pages: a task, its close and reassignment, a responsibility, an inspection with its checklist
and findings, a ledger item's steps, a dispatch post and a loan decision, and the periods of the statistics pages.
Validated here (core.forms); decided by the services."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.command.enums import ObjectType, PostSide, Resource, Severity
from cordon.command.models import Priority
from cordon.core import clock
from cordon.core.apikit import MAX_ID
from cordon.core.autocomplete import SearchField
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.regions.forms import RegionField

FINDING_ROWS = range(1, 6)  # the inspection page offers five finding lines


def user_field(label, *, required: bool = False) -> forms.IntegerField:
    """A person by id (the service checks they are an active user)."""
    return forms.IntegerField(label=label, required=required, min_value=1, max_value=MAX_ID)


def text(label, *, max_length: int = 5000, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, widget=forms.Textarea)


def day_field(label, *, required: bool = False) -> forms.DateField:
    """A calendar day of this century (as the API's Day: no date arithmetic overflows)."""
    return forms.DateField(label=label, required=required, validators=[MinValueValidator(dt.date(2000, 1, 1)),
                                                                        MaxValueValidator(dt.date(2100, 12, 31))])


class ScopedForm(ServiceForm):
    """A form with a `region_path` chosen among the regions the actor sees (the service checks the right to write)."""

    max_level: int | None = None

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_path"] = RegionField(max_level=self.max_level, label=_("Region"))
        self.fields["region_path"].scope(actor, "view")

    def clean_region_path(self):
        return self.cleaned_data["region_path"].path


class TaskForm(ScopedForm):
    max_level = 5
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = CityDateTimeField(label=_("Deadline"))
    owner = user_field(_("Owner"))
    deputy = user_field(_("Deputy"))
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL)
    detail = text(_("Detail"))
    field_order = ["title", "region_path", "deadline", "owner", "deputy", "priority", "detail"]


class TaskCloseForm(ServiceForm):
    result = text(_("Result"))


class TaskReassignForm(ServiceForm):
    owner = user_field(_("Owner"), required=True)


class ResponsibilityForm(ServiceForm):
    object_type = forms.ChoiceField(label=_("Object"), choices=ObjectType.choices)
    # A quarantine site is chosen by searching its name; the area by searching the region's name (the suggestion
    # sends its path). Other kinds of object have no name search yet: their number comes from the object's page.
    site = SearchField("site", label=_("Quarantine site"), required=False)
    object_id = forms.CharField(label=_("Object number"), max_length=40, required=False)
    region_path = SearchField("region", path=True, label=_("Area"), required=False)
    label = forms.CharField(label=_("Name"), max_length=200)
    responsible = user_field(_("Responsible"), required=True)
    deputy = user_field(_("Deputy"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        site = data.pop("site", None)
        if data.get("object_type") == ObjectType.SITE:
            if site:
                data["object_id"] = str(site)
            elif not data.get("object_id"):
                self.add_error("site", _("search the site by name and choose one of the suggestions"))
        return data


class InspectionForm(ScopedForm):
    """An inspection: the rule set's checklist (`c<n>`: ok or not, `c<n>_note`) and up to five findings (`f<n>_title`,
    `_severity`, `_owner`, `_deadline`); a finding line left empty is no finding."""

    place = forms.CharField(label=_("Place"), max_length=200)
    at = CityDateTimeField(label=_("When"), required=False)
    note = text(_("Note"))

    def __init__(self, *args, checklist: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for n, item in enumerate(checklist):
            self.fields[f"c{n}"] = forms.ChoiceField(label=item, choices=[("ok", _("In order")), ("no", _("Problem"))], required=False)
            self.fields[f"c{n}_note"] = forms.CharField(label=_("Note"), max_length=1000, required=False)
        for n in FINDING_ROWS:
            self.fields[f"f{n}_title"] = forms.CharField(label=_("Finding %(n)d") % {"n": n}, max_length=200, required=False)
            self.fields[f"f{n}_severity"] = forms.ChoiceField(label=pgettext_lazy("finding severity", "Severity"), choices=Severity.choices, required=False)
            self.fields[f"f{n}_owner"] = user_field(_("Rectification owner"))
            self.fields[f"f{n}_deadline"] = CityDateTimeField(label=_("Deadline"), required=False)
            self.fields[f"f{n}_detail"] = forms.CharField(label=_("Detail"), max_length=5000, required=False)

    def clean(self):
        """What the service takes: the checklist lines and the findings filled in."""
        data = super().clean()
        if self.errors:
            return data
        findings = [{"title": data[f"f{n}_title"], "severity": data[f"f{n}_severity"] or Severity.MINOR,
                     "owner_id": data[f"f{n}_owner"], "deadline": data[f"f{n}_deadline"], "detail": data[f"f{n}_detail"]}
                    for n in FINDING_ROWS if data[f"f{n}_title"].strip() or data[f"f{n}_owner"]]
        checklist = [{"item": item, "ok": data[f"c{n}"] == "ok", "note": data[f"c{n}_note"]} for n, item in enumerate(self.checklist)]
        return {"region_path": data["region_path"], "place": data["place"], "at": data["at"], "note": data["note"],
                "checklist": checklist, "findings": findings}


class RectifyForm(ServiceForm):
    rectification = text(_("Rectification"), required=True)


class ReinspectForm(ServiceForm):
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)
    new_deadline = CityDateTimeField(label=_("New deadline"), required=False)
    file = forms.FileField(label=_("Evidence"), required=False)  # closing needs evidence: the service names it when missing


class FlagForm(ServiceForm):
    public = forms.TypedChoiceField(label=_("Public tracking"), choices=[("1", _("Yes")), ("0", _("No"))], coerce=lambda v: v == "1")


class EvidenceForm(ServiceForm):
    file = forms.FileField(label=_("File"), required=False)  # the service names a missing or too large file
    stage = forms.ChoiceField(label=_("Stage"), choices=[("finding", _("Finding")), ("rectification", _("Rectification")),
                                                         ("reinspection", _("Re-inspection"))], initial="finding")


class DispatchPostForm(ServiceForm):
    side = forms.ChoiceField(label=_("Side"), choices=PostSide.choices)
    region_path = forms.CharField(label=_("District"), max_length=100)
    resource = forms.ChoiceField(label=_("Resource"), choices=Resource.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    start = day_field(_("From"), required=True)
    end = day_field(_("To"), required=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DecideForm(ServiceForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class LendPersonForm(ServiceForm):
    user_id = user_field(_("Person lent"), required=True)
    post = forms.CharField(label=_("Destination post"), max_length=200)
    post_path = forms.CharField(label=_("Where"), max_length=100, required=False)
    start = day_field(_("From"))
    planned_return = day_field(_("Planned return"))


class DispatchLineForm(ServiceForm):
    item = forms.CharField(label=_("Item"), max_length=120)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    unit = forms.CharField(label=pgettext_lazy("organisation", "Unit"), max_length=20, required=False)


class PeriodForm(forms.Form):
    """A statistics page's grouping and period (GET). A wrong value is named in the page's messages and its default used."""

    def read(self, request) -> dict:
        if not self.is_valid():
            messages.error(request, "; ".join(f"{self.fields[k].label}: {' '.join(v)}" for k, v in self.errors.items()))
        return {name: self.cleaned_data.get(name) or field.initial for name, field in self.fields.items()}


class TaskStatsForm(PeriodForm):
    by = forms.ChoiceField(label=_("By"), choices=[("owner", _("Per person")), ("district", _("Per district")), ("street", _("Per street"))],
                           required=False, initial="owner")
    since = day_field(_("From"))
    until = day_field(_("To"))


class AccountabilityForm(PeriodForm):
    by = forms.ChoiceField(label=_("By"), choices=[("district", _("Per district")), ("street", _("Per street"))], required=False,
                           initial="district")
    start = day_field(_("From"))
    end = day_field(_("To"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        today = clock.today()
        self.fields["start"].initial, self.fields["end"].initial = today - dt.timedelta(days=13), today
