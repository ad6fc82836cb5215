"""A region chosen by searching its name (the shared search widget, cordon.core.autocomplete), for the forms whose
services take a region's number: the page sends the region's path, never a number typed by the user."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.autocomplete import SearchField
from cordon.regions.models import Region


class RegionSearchField(SearchField):
    """Cleaned to the number of the region whose path the widget sent (the service checks the actor's rights there)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Area"))
        kwargs.setdefault("placeholder", _("Search the area by name"))
        super().__init__("region", path=True, **kwargs)

    def clean(self, value):
        path = super().clean(value)
        if path in self.empty_values:
            return None
        pk = Region.objects.filter(path=path, abolished_on__isnull=True).values_list("pk", flat=True).first()
        if pk is None:
            raise forms.ValidationError(_("is not an area you may choose"), code="invalid_choice")
        return pk
