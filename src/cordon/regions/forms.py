"""Form fields for choosing a region: only regions inside the actor's area, chosen by path (the value pages send)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.autocomplete import SearchWidget
from cordon.core.forms import ServiceForm
from cordon.regions.models import Region


class RegionSearchWidget(SearchWidget):
    """The shared search box for a region field: the page lists no region (a city has thousands: the key-workers
    page rendered every one in scope as an option, most of its time); a chosen value is shown by its name, read
    from the field's scoped regions (one row)."""

    def __init__(self, attrs=None):
        super().__init__("region", attrs=attrs, placeholder=_("Search the area by name"))
        self.regions = Region.objects.none()

    def get_context(self, name, value, attrs):
        if value not in (None, "") and not self.typed:
            self.typed = self.regions.filter(path=value).values_list("name", flat=True).first() or ""
        return super().get_context(name, value, attrs)


class RegionField(forms.ModelChoiceField):
    """A region inside the actor's area, by its path, chosen by searching its name; a form sets the actor with
    `scope(actor, action)`, which also decides what the field accepts (the suggestions are only a help)."""

    widget = RegionSearchWidget

    def __init__(self, *, max_level: int | None = None, **kwargs):
        self.max_level = max_level
        kwargs.setdefault("label", _("Area"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("is not an area you may choose")})
        super().__init__(queryset=Region.objects.none(), to_field_name="path", **kwargs)

    def scope(self, actor, action: str = "change") -> None:
        # the GeoJSON boundary is never read (it made a page listing hundreds of regions read megabytes)
        qs = Region.objects.visible_to(actor, action).order_by("path").only("pk", "path", "name", "level")
        self.queryset = qs.filter(level__lte=self.max_level) if self.max_level else qs
        self.widget.regions = self.queryset


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """One or more files of one input (provinces.csv, cities.csv, ... at once)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(d, initial) for d in data] if isinstance(data, list | tuple) else [one(data, initial)]


class CodesImportForm(ServiceForm):
    files = _MultipleFileField(label=_("CSV or Excel files"), error_messages={"required": _("Choose a CSV or Excel file.")})
    city = forms.CharField(label=_("City code (4 digits, for a province-wide file)"), max_length=12, required=False)
