import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cordon.core import access
from cordon.people.factories import PersonFactory
from cordon.people.models import Person

pytestmark = pytest.mark.django_db


def test_it_denies_everything_to_anonymous_and_postless_users(city, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    PersonFactory(grid=city.a_grid)
    assert not Person.objects.visible_to(nobody).exists()
    assert not access.can(nobody, "people.view")


def test_it_hides_other_district_residents(city, cast):
    mine = PersonFactory(grid=city.a_grid)
    theirs = PersonFactory(grid=city.b_grid)
    assert list(Person.objects.visible_to(cast.officer_a)) == [mine]
    assert set(Person.objects.visible_to(cast.commander)) == {mine, theirs}


def test_a_path_prefix_does_not_leak_into_a_sibling_with_a_longer_code(city, cast):
    from cordon.regions.models import Level, Region

    sibling = Region.objects.create(code="9901011", name="x", level=Level.DISTRICT, parent=city.city, path=city.a.path + "1")
    assert not access.can(cast.officer_a, "people.view", sibling.path)


def test_get_for_gives_404_out_of_scope_and_403_without_the_action(city, cast):
    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(Http404):
        access.get_for(cast.officer_b, Person.objects.all(), "view", pk=p.pk)
    with pytest.raises(PermissionDenied):
        access.get_for(cast.viewer_a, Person.objects.all(), "change", pk=p.pk)
    assert access.get_for(cast.officer_a, Person.objects.all(), "change", pk=p.pk) == p


def test_roles_are_narrow_where_they_should_be():
    assert access.role_grants("sampler", "screening.sample")
    assert not access.role_grants("sampler", "cases.view")
    assert not access.role_grants("viewer", "people.change")
    assert not access.role_grants("district_officer", "audit.view")
    assert access.role_grants("city_commander", "audit.view")
