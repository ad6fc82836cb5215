"""The register's, passes' and passages' filters: one definition for the pages, their exports and the API."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import (
    BooleanFilter,
    ChoiceFilter,
    CityDayFilter,
    FilterSet,
    NumberFilter,
    RegionFilter,
    SearchFilter,
)
from cordon.keyworkers.enums import Cargo, Category, PassStatus


class KeyPersonFilter(FilterSet):
    category = ChoiceFilter(choices=Category.choices, label=_("Category"))
    cargo = ChoiceFilter(choices=Cargo.choices, label=_("Cargo"))
    closed_loop = BooleanFilter(label=_("Closed loop"))
    active = BooleanFilter(label=_("On the register"))
    region = RegionFilter()
    q = SearchFilter(fields=("employer", "plate", "role", "origin_name", "destination_name"))


class KeyPassFilter(FilterSet):
    status = ChoiceFilter(choices=PassStatus.choices, label=_("Status"))
    category = ChoiceFilter(field_name="keyperson__category", choices=Category.choices, label=_("Category"))
    q = SearchFilter(fields=("number", "keyperson__plate", "keyperson__employer"))


class PassageFilter(FilterSet):
    category = ChoiceFilter(choices=Category.choices, label=_("Category"))
    checkpoint = NumberFilter(field_name="checkpoint_id", label=_("Checkpoint"))
    since = CityDayFilter(field_name="at", bound="since", label=_("From"))
    until = CityDayFilter(field_name="at", bound="until", label=_("To"))
