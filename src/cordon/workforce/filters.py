"""The workforce lists' filters: one definition for the pages, the roster export and the API (core.filters)."""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from cordon.core import clock
from cordon.core.filters import BooleanFilter, CharFilter, ChoiceFilter, FilterSet
from cordon.workforce.models import MissionKind, Skill


def with_skill(qs, skill: str):
    """People registered with a skill (a JSON list: contains on PostgreSQL, the quoted name elsewhere)."""
    return qs.filter(skills__contains=[skill]) if connection.vendor == "postgresql" else qs.filter(skills__icontains=f'"{skill}"')


class WorkerFilter(FilterSet):
    skill = ChoiceFilter(choices=Skill.choices, label=_("Skill"), method=lambda qs, name, value: with_skill(qs, value))
    available = BooleanFilter(label=_("Available"), widget=BooleanWidget)
    q = CharFilter(label=_("Name"), method=lambda qs, name, value: qs.filter(name__startswith=value.strip()))


class MissionFilter(FilterSet):
    kind = ChoiceFilter(choices=MissionKind.choices, label=_("Kind"))
    current = BooleanFilter(label=_("Current"), widget=BooleanWidget,
                            method=lambda qs, name, value: qs.filter(ends_at__gte=clock.now()) if value else qs)
