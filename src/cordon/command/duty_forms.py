"""Duty roster inputs from pages: taking an officer out with the hand-over, and a shift on the roster."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.command.enums import OffDutyReason
from cordon.command.forms import ScopedForm, user_field
from cordon.core.access import ROLE_CHOICES
from cordon.core.forms import CityDateTimeField, ServiceForm


class TakeOutForm(ServiceForm):
    """不在岗 and 交接: why, until when, and the successor (empty: each item goes to its own deputy)."""

    reason = forms.ChoiceField(label=_("Reason"), choices=OffDutyReason.choices)
    successor = user_field(_("Successor"))
    until = CityDateTimeField(label=_("Until"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ShiftForm(ScopedForm):
    """A shift on the roster: the post (role at a region), who, from when to when, the shift's deputy."""

    max_level = 5
    role = forms.ChoiceField(label=_("Post"), choices=ROLE_CHOICES)
    user = user_field(_("On duty"), required=True)
    deputy = user_field(_("Deputy"))
    start = CityDateTimeField(label=_("Start"))
    end = CityDateTimeField(label=_("End"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
