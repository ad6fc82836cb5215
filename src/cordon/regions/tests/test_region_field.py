"""The area field of the forms: the actor's regions by path, without reading their map boundaries."""

import pytest

from cordon.regions.forms import RegionField


@pytest.mark.django_db
def test_the_area_choices_are_the_actors_regions_without_their_boundaries(city, cast):
    field = RegionField()
    field.scope(cast.officer_a)
    sql = str(field.queryset.query)
    assert "boundary" not in sql
    paths = [value for value, _label in field.choices if value]
    assert city.a.path in [str(v) for v in paths] and city.b.path not in [str(v) for v in paths]
    assert field.clean(city.a_grid.path).name == city.a_grid.name
