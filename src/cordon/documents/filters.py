"""The document register's filters: one definition for the page and the API (core.filters)."""

from django.utils.translation import gettext_lazy as _

from cordon.core.filters import ChoiceFilter, FilterSet, SearchFilter
from cordon.documents.enums import DocStatus, Kind, Record


class DocumentFilter(FilterSet):
    kind = ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    status = ChoiceFilter(choices=DocStatus.choices, label=_("Status"))
    record = ChoiceFilter(choices=Record.choices, label=_("Record"))
    q = SearchFilter(fields=("number", "label", "unit_name"))
