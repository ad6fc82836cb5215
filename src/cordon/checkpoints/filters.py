"""The checkpoint lists' filters: one definition each for the page, its export and the API (core.filters)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cordon.checkpoints.enums import CheckpointKind, Result, Subject
from cordon.core.filters import CharFilter, ChoiceFilter, FilterSet, NumberFilter


def _under(qs, name, value):
    """Rows in a region or below it (the path itself or a dotted descendant, never a sibling sharing a prefix)."""
    value = value.strip()
    return qs.filter(Q(region_path=value) | Q(region_path__startswith=value + ".")) if value else qs


class CheckpointFilter(FilterSet):
    kind = ChoiceFilter(choices=CheckpointKind.choices, label=_("Kind"))
    q = CharFilter(method="search", label=_("Search"), max_length=100)
    region = CharFilter(method=_under, label=_("Area"), max_length=100)

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(name__contains=value) | Q(code__icontains=value) | Q(location__contains=value)) if value else qs


class InspectionFilter(FilterSet):
    checkpoint = NumberFilter(field_name="checkpoint_id", label=_("Checkpoint"), min_value=1, max_value=2**63 - 1)
    result = ChoiceFilter(choices=Result.choices, label=_("Result"))
    subject = ChoiceFilter(choices=Subject.choices, label=_("Subject"))


class OverrideFilter(FilterSet):
    checkpoint = NumberFilter(field_name="checkpoint_id", label=_("Checkpoint"), min_value=1, max_value=2**63 - 1)


class PassFilter(FilterSet):
    q = CharFilter(method="search", label=_("Search"), max_length=100)

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(plate__icontains=value) | Q(number__icontains=value) | Q(enterprise__contains=value)) if value else qs
