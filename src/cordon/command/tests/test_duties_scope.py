"""A person's duties page is scoped: a user without a post inside your area is a 404 (no user names from elsewhere)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cordon.accounts.models import Post

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_duties_of_a_district_b_user_are_a_404_for_district_a(city, cast):
    c = _client(cast.officer_a)
    r = c.get(f"/api/v1/command/users/{cast.officer_b.pk}/duties")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert cast.officer_b.username not in r.content.decode()
    assert c.get(f"/command/people/{cast.officer_b.pk}/").status_code == 404


def test_duties_of_a_user_of_my_district_are_shown(city, cast):
    c = _client(cast.officer_a)
    r = c.get(f"/api/v1/command/users/{cast.viewer_a.pk}/duties")
    assert r.status_code == 200 and r.json()["username"] == cast.viewer_a.username
    assert c.get(f"/command/people/{cast.viewer_a.pk}/").status_code == 200


def test_the_commander_sees_every_district_and_a_missing_user_is_a_404(city, cast):
    c = _client(cast.commander)
    assert c.get(f"/api/v1/command/users/{cast.officer_b.pk}/duties").status_code == 200
    assert c.get("/api/v1/command/users/999999/duties").status_code == 404


def test_a_street_officer_opens_the_page_of_the_district_officer_above_them_but_not_a_neighbours(city, cast):
    street = get_user_model().objects.create_user(username="street_a", password="pw-for-tests-1")
    Post.objects.create(user=street, role="street_officer", region=city.a_street)
    c = _client(street)
    assert c.get(f"/command/people/{cast.officer_a.pk}/").status_code == 200  # their chain of command
    assert c.get(f"/command/people/{cast.officer_b.pk}/").status_code == 404  # another district


def test_an_officer_without_the_command_view_opens_their_own_page_and_the_commanders(city, cast):
    sampler = get_user_model().objects.create_user(username="sampler_a", password="pw-for-tests-1")
    Post.objects.create(user=sampler, role="sampler", region=city.a)
    c = _client(sampler)
    assert c.get(f"/command/people/{cast.commander.pk}/").status_code == 200
    assert c.get(f"/command/people/{cast.officer_b.pk}/").status_code == 404
