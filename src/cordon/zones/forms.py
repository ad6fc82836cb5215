"""Zone inputs from pages: designation, the note of a lifecycle step, the responsible worker (validated here; decided by
the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.zones.enums import PickType


class Values(forms.Field):
    """Several values of one input name (ticked boxes, picked units), each a short text."""

    widget = forms.SelectMultiple

    def __init__(self, *, max_length: int = 100, max_count: int = 5000, **kwargs):
        self.max_length, self.max_count = max_length, max_count
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        values = [str(v).strip() for v in (value or []) if str(v).strip()]
        if len(values) > self.max_count:
            raise forms.ValidationError(_("at most %(n)d values") % {"n": self.max_count})
        if any(len(v) > self.max_length for v in values):
            raise forms.ValidationError(_("a value is too long"))
        return values


class DesignateForm(ServiceForm):
    kind = forms.CharField(label=_("Kind"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    pick_type = forms.CharField(label=_("Pick"), max_length=20, required=False)
    pick = Values(label=_("Picked units"), max_length=250)
    polygon = forms.JSONField(label=_("Polygon"), required=False, error_messages={"invalid": _("is not valid GeoJSON")})
    emergency_phone = forms.CharField(label=_("Emergency contact"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        polygon = data.pop("polygon", None)
        if polygon is not None and not isinstance(polygon, dict):
            self.add_error("polygon", _("is not valid GeoJSON"))
        data["polygon"] = polygon or None
        picks = data.pop("pick", [])
        pick_type = data.pop("pick_type", "")
        data["picks"] = [] if polygon else [_pick(pick_type, v) for v in picks]
        return data


def _pick(pick_type: str, value: str) -> dict:
    if pick_type == PickType.COMPOUND:
        community_id, _sep, name = value.partition(":")
        return {"type": "compound", "community_id": community_id, "name": name}
    return {"type": pick_type, "id": value}


class NoteForm(ServiceForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AssignForm(ServiceForm):
    household = Values(label=_("Households"), max_length=20, max_count=10_000)
    worker_name = forms.CharField(label=_("Worker name"), max_length=150)
    worker_phone = forms.CharField(label=_("Worker phone"), max_length=30)

    def clean_household(self):
        return [int(v) for v in self.cleaned_data["household"] if v.isdigit()]


class CandidatesForm(forms.Form):
    """What the designation page lists to pick from: a kind of unit inside a region path."""

    pick_type = forms.ChoiceField(label=_("Pick"), required=False,
                                  choices=[c for c in PickType.choices if c[0] not in ("polygon", "district_rest")])
    parent = forms.CharField(label=_("Inside region path"), max_length=255, required=False)

    def chosen(self) -> tuple[str, str] | None:
        """(kind, parent path), or None when a value does not fit."""
        if not self.is_valid():
            return None
        return self.cleaned_data["pick_type"] or PickType.BUILDING, self.cleaned_data["parent"]


class NationalImportForm(ServiceForm):
    file = forms.FileField(label=_("National risk-area list (JSON)"), error_messages={"required": _("Choose the list's JSON file.")})
