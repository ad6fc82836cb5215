"""The screening tiles show the newest published round, else the newest round, found in one query."""

import datetime as dt

import pytest

from cordon.screening import dashboard
from cordon.screening.factories import make_round
from cordon.screening.models import Round

pytestmark = pytest.mark.django_db


def test_the_tiles_show_the_newest_published_round_else_the_newest(city, cast):
    older = make_round(region=city.a)
    Round.objects.filter(pk=older.pk).update(starts_at=older.starts_at - dt.timedelta(days=3))
    newer_draft = make_round(region=city.a, published=False)
    tiles = dashboard.tiles(cast.commander)
    assert f"round={older.pk}" in tiles[0]["url"]  # a newer draft does not hide the published round
    Round.objects.filter(pk=older.pk).update(status="closed")
    assert f"round={newer_draft.pk}" in dashboard.tiles(cast.commander)[0]["url"]  # none published: the newest
