"""Test support: the fixed cast (cordon.core.testing.CAST), one user per member with a post in the test city."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cordon.accounts.models import Post


def make_cast(city) -> SimpleNamespace:
    User = get_user_model()

    def user(name, role, region):
        u = User.objects.create_user(username=name, password="pw-for-tests-1")
        Post.objects.create(user=u, role=role, region=region)
        return u

    return SimpleNamespace(
        commander=user("commander", "city_commander", city.city),
        officer_a=user("officer_a", "district_officer", city.a),
        viewer_a=user("viewer_a", "viewer", city.a),
        officer_b=user("officer_b", "district_officer", city.b),
        field_a=user("field_a", "grid_worker", city.a_grid),
        anonymous=AnonymousUser(),
    )
