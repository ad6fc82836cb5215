"""Residents' inputs from pages: the import file, a move-in request and its decision (validated here; the services
decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm


class ImportForm(ServiceForm):
    file = forms.FileField(label=_("CSV or Excel file"), error_messages={"required": _("Choose a CSV or Excel file.")})


class MoveRequestForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), min_length=15, max_length=18)
    grid_id = forms.IntegerField(label=_("Grid moving into"), min_value=1)
    address = forms.CharField(label=_("New address"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MoveDecisionForm(ServiceForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
