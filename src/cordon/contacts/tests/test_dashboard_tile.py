"""The contacts tiles show selectors.counts' per-status figures, in one query."""

import pytest
from django.utils import translation

from cordon.contacts import dashboard, selectors
from cordon.contacts.tests.scope import _proposal, _releasable

pytestmark = pytest.mark.django_db


def test_the_contact_tiles_are_the_status_counts(city, cast, django_assert_max_num_queries):
    _proposal(city), _proposal(city), _releasable(city)
    for actor, proposed, under in ((cast.commander, 2, 1), (cast.officer_a, 2, 1), (cast.officer_b, 0, 0)):
        status = selectors.counts(actor=actor)["status"]
        with translation.override("en"), django_assert_max_num_queries(1):
            review, measures = dashboard.tiles(actor)
        assert (review["value"], measures["value"]) == (status.get("proposed", 0), status.get("under_measures", 0)) == (proposed, under)
