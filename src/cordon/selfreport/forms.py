"""Self-report inputs: the person's daily report (public page) and the officer's day and level choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.quarantine.enums import SYMPTOM_LABELS, SYMPTOMS


class ReportForm(ServiceForm):
    temperature = forms.DecimalField(label=_("Temperature (°C)"), min_value=34, max_value=43, decimal_places=1, max_digits=3)
    symptoms = forms.MultipleChoiceField(label=_("Symptoms"), required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[(s, SYMPTOM_LABELS[s]) for s in SYMPTOMS])


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False)
    by = forms.ChoiceField(label=_("Per"), required=False, choices=[("grid", _("Grid")), ("community", _("Community")),
                                                                     ("street", _("Street"))])
