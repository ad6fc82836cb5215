"""List filters, one definition per list (django-filter), used by the page, its export and the API alike.

A list's filters live in `<app>/filters.py` as a `FilterSet` over the app's model. The selector applies it to the
scoped queryset, so the page (`?status=...&q=...`), its Excel export and the API's query parameters filter the
same way and no copy can drift:

    # gatherings/filters.py
    class GatheringFilter(FilterSet):
        status = ChoiceFilter(choices=GatheringStatus.choices)
        q = SearchFilter(fields=("title", "organizer", "address"))

    # gatherings/selectors.py
    def gathering_list(*, actor, filters=None):
        return GatheringFilter.apply(filters, Gathering.objects.visible_to(actor, "view"))

A value that does not fit (an unknown status, a date that is not one) raises `ServiceError` naming the filter:
the API answers 400 in the one error shape, the page shows the message. A filter is never silently dropped.
"""

from collections.abc import Mapping

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cordon.core import clock
from cordon.core.errors import ServiceError

# The filter classes apps use, from one place.
BooleanFilter = django_filters.BooleanFilter
CharFilter = django_filters.CharFilter
ChoiceFilter = django_filters.ChoiceFilter
DateFilter = django_filters.DateFilter
NumberFilter = django_filters.NumberFilter
MultipleChoiceFilter = django_filters.MultipleChoiceFilter
# Parameters that page or export a list, never filter it.
NOT_FILTERS = ("page", "page_size", "export", "format", "unmask")


class SearchFilter(django_filters.CharFilter):
    """Free text matched against several fields: `q = SearchFilter(fields=("title", "organizer"))`; `lookup` is
    "contains" (the default) or "icontains" to ignore case."""

    def __init__(self, *, fields: tuple[str, ...], lookup: str = "contains", **kwargs):
        self.search_fields, self.search_lookup = fields, lookup
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__{self.search_lookup}": value})
        return qs.filter(match)


def inside(path: str, field: str = "region_path") -> Q:
    """Rows whose `field` is the region `path` or a path below it (never a sibling sharing its prefix): the one
    region-containment test, indexable as a prefix match on SQLite and PostgreSQL."""
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + "."})


class RegionFilter(django_filters.CharFilter):
    """Rows in a region or below it: the value is a region path; a row matches on that path or a path under it,
    never a sibling that only shares its prefix ("3101.31010" is not inside "3101.3101")."""

    def __init__(self, *, field_name: str = "region_path", **kwargs):
        kwargs.setdefault("label", _("Area"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return qs
        return qs.filter(inside(value, self.field_name))


class CityDayFilter(django_filters.DateFilter):
    """A calendar day of the city applied to a date-time field: `since` (from the day's start) or `until` (to its end)."""

    def __init__(self, *, field_name: str, bound: str, **kwargs):
        if bound not in ("since", "until"):
            raise ValueError(bound)
        self.bound = bound
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        start, end = clock.day_bounds(value)
        return qs.filter(**{f"{self.field_name}__gte": start} if self.bound == "since" else {f"{self.field_name}__lt": end})


class FilterSet(django_filters.FilterSet):
    """A list's filters; invalid values raise instead of being dropped. A filter method that depends on who asks
    (an exact ID-number search is an unmasked look-up) reads `self.actor`."""

    def __init__(self, data=None, queryset=None, *, actor=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.actor = actor

    @classmethod
    def apply(cls, filters: Mapping | None, queryset: QuerySet, *, actor=None) -> QuerySet:
        """The queryset filtered by `filters` (a dict, request.GET, or None for none); a bad value raises ServiceError."""
        data = {k: v for k, v in (filters or {}).items() if k not in NOT_FILTERS and v not in (None, "")}
        if hasattr(filters, "getlist"):  # a QueryDict: keep repeated keys for multiple-choice filters
            data = {k: (filters.getlist(k) if len(filters.getlist(k)) > 1 else v) for k, v in data.items()}
        unknown = sorted(set(data) - set(cls.base_filters))
        if unknown and not hasattr(filters, "getlist"):  # a page may carry other parameters; a caller's dict may not
            raise ServiceError.field(unknown[0], _("is not a filter of this list"))
        filterset = cls(data, queryset=queryset, actor=actor)
        if not filterset.is_valid():
            fields = [{"field": name, "message": " ".join(str(e) for e in errors)} for name, errors in filterset.errors.items()]
            message = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
            raise ServiceError(message, code="invalid_filter", fields=fields)
        return filterset.qs
