"""Form fields for choosing a region: only regions inside the actor's area, chosen by path (the value pages send)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.regions.models import Region


class RegionField(forms.ModelChoiceField):
    """A region inside the actor's area, by its path; a form sets the actor with `scope(actor, action)`."""

    def __init__(self, *, max_level: int | None = None, **kwargs):
        self.max_level = max_level
        kwargs.setdefault("label", _("Area"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("is not an area you may choose")})
        super().__init__(queryset=Region.objects.none(), to_field_name="path", **kwargs)

    def scope(self, actor, action: str = "change") -> None:
        qs = Region.objects.visible_to(actor, action).order_by("path")
        self.queryset = qs.filter(level__lte=self.max_level) if self.max_level else qs
