"""The presence batches' filters: one definition for the page, its export and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import CharFilter, FilterSet, RegionFilter


class BatchFilter(FilterSet):
    """Over the batches' areas (BatchArea): the area narrows the grids counted, source and kind the batches."""

    area = RegionFilter(field_name="region_path")
    source = CharFilter(field_name="batch__source", lookup_expr="icontains", label=_("Source"))
    kind = CharFilter(field_name="batch__kind", label=_("Kind"))
