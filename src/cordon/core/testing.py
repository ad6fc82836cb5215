"""Shared test support: the fixed cast and the permission suite every scoped endpoint registers with.

Each app lists its scoped endpoints in `<app>/tests/scope.py` as `ENDPOINTS = [ScopedEndpoint(...)]`;
tests/architecture/test_scoped_endpoints.py runs the same checks on all of them:
city commander and district A officer succeed, district A viewer reads but gets 403 on writes,
district B officer gets 404, anonymous gets 401 (API) or a login redirect (web).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser


@dataclass
class ScopedEndpoint:
    name: str
    make: Callable[[SimpleNamespace], object]  # builds an object in district A; returns it
    url: Callable[[object], str]
    method: str = "get"
    write: bool = False
    payload: Callable[[object], dict] | None = None
    api: bool = True
    ok_status: tuple[int, ...] = (200, 201)
    content_type: str = "application/json"
    extra: dict = field(default_factory=dict)


def make_cast(city) -> SimpleNamespace:
    from cordon.accounts.models import Post

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
        anonymous=AnonymousUser(),
    )
