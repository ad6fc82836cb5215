"""Self-report inputs: the officer's day and level (the person's report is the questionnaires app's form_for)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DayForm(forms.Form):
    day = forms.DateField(label=_("Reporting date"), required=False)
    by = forms.ChoiceField(label=_("Per"), required=False, choices=[("grid", _("Grid")), ("community", _("Community")),
                                                                     ("street", _("Street"))])
