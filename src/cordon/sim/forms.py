"""The HQ's drill form: scenario, city size, days, seed, response on or off (validated here; the service decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.sim import scenarios


class DrillForm(ServiceForm):
    scenario = forms.ChoiceField(label=_("Scenario"), choices=scenarios.CHOICES, initial=scenarios.SCENARIOS[0].code)
    people = forms.TypedChoiceField(label=_("City size (residents)"), coerce=int, initial=scenarios.SIZES[1],
                                    choices=[(n, f"{n:,}") for n in scenarios.SIZES])
    days = forms.IntegerField(label=_("Days to simulate"), min_value=1, max_value=scenarios.MAX_DAYS, initial=30)
    seed = forms.IntegerField(label=_("Seed"), min_value=1, max_value=1_000_000, initial=1,
                              help_text=_("The same seed repeats the same outbreak."))
    response = forms.BooleanField(label=_("Run the response (tracing, screening, placement)"), required=False,
                                  initial=True, help_text=_("Off: the same outbreak with fever clinics only."))
