"""Report inputs from pages: the dashboard's region and a daily report to generate (validated here; decided by
reports.services)."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm


class DashboardForm(forms.Form):
    """The dashboard's `region` (a region path inside the viewer's area; empty for their home region)."""

    region = forms.CharField(label=_("Region"), max_length=100, required=False)

    def region_path(self) -> str | None:
        return (self.cleaned_data.get("region") or None) if self.is_valid() else None


class ReportForm(ServiceForm):
    report_date = forms.DateField(label=_("Day"), validators=[MinValueValidator(dt.date(2000, 1, 1)),
                                                             MaxValueValidator(dt.date(2100, 12, 31))])
    region_path = forms.CharField(label=_("Region"), max_length=100, required=False)
    remarks = forms.CharField(label=_("Next steps"), max_length=5000, required=False)
