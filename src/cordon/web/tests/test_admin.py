"""The admin is a back office, not a side door: masked, read-only where services own the writes, audited."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cordon.accounts.models import Post
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-1")


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_person_change_page_shows_neither_the_full_id_number_nor_the_phone(city, superuser):
    p = PersonFactory(grid=city.a_grid, name="王小明")
    html = _client(superuser).get(f"/admin/people/person/{p.pk}/change/").content.decode()
    assert p.id_number[:4] + "*" in html and p.phone[:3] + "*" in html
    assert p.id_number not in html and p.phone not in html and "王小明" not in html and p.token not in html
    assert p.birth_date.isoformat() not in html


def test_the_person_list_is_masked_and_not_searchable_by_id_number_or_phone(city, superuser):
    p = PersonFactory(grid=city.a_grid, name="王小明")
    c = _client(superuser)
    html = c.get("/admin/people/person/").content.decode()
    assert "王**" in html and "王小明" not in html and p.id_number not in html
    assert 'id="searchbar"' not in html  # no search box: nobody probes the registry by ID number or phone


def test_a_post_to_a_person_change_url_is_refused(city, superuser):
    p = PersonFactory(grid=city.a_grid, name="王小明")
    r = _client(superuser).post(f"/admin/people/person/{p.pk}/change/", {"name": "李四", "grid": city.b_grid.pk})
    assert r.status_code == 403
    p.refresh_from_db()
    assert p.name == "王小明" and p.grid_id == city.a_grid.pk
    assert _client(superuser).post(f"/admin/people/person/{p.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=p.pk).exists()
    assert _client(superuser).get("/admin/people/person/add/").status_code == 403


def test_models_with_services_are_read_only_in_the_admin(city, superuser):
    c = _client(superuser)
    assert c.post(f"/admin/regions/region/{city.a.pk}/change/", {"name": "x"}).status_code == 403
    assert c.get("/admin/core/ruleset/add/").status_code == 403


def test_a_user_change_in_the_admin_is_audited_without_the_password(city, cast, superuser):
    u = cast.viewer_a
    r = _client(superuser).post(f"/admin/auth/user/{u.pk}/change/", {
        "username": u.username, "first_name": "新", "last_name": "", "email": "", "is_active": "on", "is_staff": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00"})
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_type="auth.user", object_id=str(u.pk))
    assert "is_staff" in entry.changes["fields"] and "password" not in str(entry.changes)


def test_a_password_change_in_the_admin_is_audited(city, cast, superuser):
    u = cast.viewer_a
    r = _client(superuser).post(f"/admin/auth/user/{u.pk}/password/",
                                {"password1": "a-new-long-secret-9", "password2": "a-new-long-secret-9", "usable_password": "true"})
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="admin.password", object_id=str(u.pk))
    assert "a-new-long-secret-9" not in str(entry.changes)


def test_a_post_change_in_the_admin_is_audited(city, cast, superuser):
    post = Post.objects.filter(user=cast.viewer_a).first()
    r = _client(superuser).post(f"/admin/accounts/post/{post.pk}/change/", {
        "user": post.user_id, "role": post.role, "region": post.region_id, "title": "组长", "active": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    post.refresh_from_db()
    assert post.active is False and post.title == "组长"
    entry = AuditEntry.objects.get(action="admin.change", object_type="accounts.post", object_id=str(post.pk))
    assert set(entry.changes) == {"title", "active"}
