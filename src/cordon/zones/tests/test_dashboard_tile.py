"""The zones tile shows selectors.counts' per-status figures, in one query."""

import pytest
from django.utils import translation

from cordon.zones import dashboard, selectors
from cordon.zones.tests.scope import _zone

pytestmark = pytest.mark.django_db


def test_the_zone_tile_is_the_status_counts(city, cast, django_assert_max_num_queries):
    _zone(city), _zone(city), _zone(city, status="in_force")
    for actor, in_force, designated in ((cast.commander, 1, 2), (cast.officer_b, 0, 0)):
        by_status = selectors.counts(actor=actor)["by_status"]
        with translation.override("en"), django_assert_max_num_queries(1):
            tile, = dashboard.tiles(actor)
        assert tile["value"] == sum(by_status.get(s, 0) for s in ("in_force", "countdown", "eligible")) == in_force
        assert tile["sub"] == f"{by_status.get('designated', 0)} proposed, awaiting confirmation" == f"{designated} proposed, awaiting confirmation"
