"""Case inputs from pages: the report, the investigation form, a trajectory entry, a named contact, the status
step, the infector link, and the cluster list's bounds (validated here; decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.cases.enums import CaseKind, CaseStatus, FoundBy, Severity, StayKind
from cordon.core.apikit import MAX_ID
from cordon.core.forms import CityDateTimeField, ServiceForm
from cordon.people import selectors as people_selectors


class ReportForm(ServiceForm):
    """A case reported by ID number (looked up in the actor's area) or by resident id."""

    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    person_id = forms.IntegerField(label=_("Resident id"), min_value=1, max_value=MAX_ID, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    found_by = forms.ChoiceField(label=_("Found by"), choices=FoundBy.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)
    onset_date = forms.DateField(label=_("Onset date"), required=False)
    sampled_at = CityDateTimeField(label=_("Sampled at"), required=False)
    confirmed_at = CityDateTimeField(label=_("Confirmed at"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        id_number = (data.get("id_number") or "").strip()
        if not data.get("person_id") and id_number:
            match = people_selectors.person_list(actor=self.actor, q=id_number).first()
            if match is None:
                self.add_error("id_number", _("no resident with this ID number in your area"))
            else:
                data["person_id"] = match.pk
        return data


class InvestigationForm(ServiceForm):
    """The investigation form; a date the page does not show (no onset for an asymptomatic infection) is left as is."""

    DATES = ("onset_date", "sampled_at", "isolated_at", "last_negative_at")

    symptoms = forms.CharField(label=_("Symptoms"), max_length=300, required=False)
    test_history = forms.CharField(label=_("Test history"), max_length=10000, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=10000, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    onset_date = forms.DateField(label=_("Onset date"), required=False)
    sampled_at = CityDateTimeField(label=_("Sampled at"), required=False)
    isolated_at = CityDateTimeField(label=_("Isolated at"), required=False)
    last_negative_at = CityDateTimeField(label=_("Last negative test"), required=False)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name in self.DATES:
            if data is not None and name not in data:
                del self.fields[name]


class StayForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=StayKind.choices)
    venue_code = forms.CharField(label=_("Venue code"), max_length=32, required=False)
    unit = forms.CharField(label=_("Class / floor / room"), max_length=60, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    time_in = CityDateTimeField(label=_("From"))
    time_out = CityDateTimeField(label=_("To"))
    vehicle = forms.CharField(label=pgettext_lazy("trip", "Vehicle"), max_length=40, required=False)
    seat = forms.CharField(label=_("Seat"), max_length=20, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class NamedContactForm(ServiceForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    setting = forms.CharField(label=_("Setting"), max_length=40)
    protection = forms.CharField(label=_("Protection"), max_length=40, required=False)
    last_exposure = CityDateTimeField(label=_("Last exposure"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AdvanceForm(ServiceForm):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class InfectorForm(ServiceForm):
    """Who infected the case (empty clears the link)."""

    infector_id = forms.IntegerField(label=_("Infector case"), min_value=1, max_value=MAX_ID, required=False)


class ClusterListForm(ServiceForm):
    """The cluster list's bounds (clusters are computed, not a table: a form, not a FilterSet)."""

    days = forms.IntegerField(label=_("Confirmed within days"), min_value=1, max_value=3660, required=False)
    min = forms.IntegerField(label=_("At least cases"), min_value=1, max_value=1_000_000, required=False)
