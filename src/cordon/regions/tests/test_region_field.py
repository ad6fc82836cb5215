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


@pytest.mark.django_db
def test_the_area_is_chosen_by_search_and_no_region_is_listed_on_the_page(city, cast, django_assert_max_num_queries):
    from django import forms

    class Form(forms.Form):
        region = RegionField()

    form = Form()
    form.fields["region"].scope(cast.officer_a)
    with django_assert_max_num_queries(0):  # the regions in scope are neither read nor listed
        html = str(form["region"])
    assert "<option" not in html and "<select" not in html and 'name="region"' in html and "/suggest/region/" in html
    shown = Form({"region": city.a_grid.path})
    shown.fields["region"].scope(cast.officer_a)
    assert shown.is_valid() and city.a_grid.name in str(shown["region"])  # shown again by its name
    outside = Form({"region": city.b.path})
    outside.fields["region"].scope(cast.officer_a)
    assert not outside.is_valid() and "region" in outside.errors
