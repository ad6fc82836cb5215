import datetime as dt

import pytest

from cordon.core import policy
from cordon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_three_rule_sets_ship_as_fixtures():
    assert policy.by_code("protocol-9").get("measures.categories.close_contact.phases")[0]["days"] == 7
    assert policy.by_code("measures-2022-11").get("measures.categories.secondary_contact.identified") is False
    assert policy.by_code("protocol-8").get("zones.kinds.sealed.lift.days_without_new_case") == 14


def test_the_rule_set_in_force_follows_the_effective_date():
    assert policy.in_force(dt.date(2021, 6, 1)).code == "protocol-8"
    assert policy.in_force(dt.date(2022, 7, 1)).code == "protocol-9"
    assert policy.in_force(dt.date(2022, 11, 20)).code == "measures-2022-11"


def test_the_city_can_switch_and_it_is_audited(cast):
    received = []
    listener = policy.RULESET_CHANGED.subscribe(lambda **kw: received.append(kw["ruleset"].code))
    try:
        from django.test import TestCase  # noqa: F401

        with __import__("django").test.utils.CaptureQueriesContext(__import__("django").db.connection):
            policy.ruleset_adopt(actor=cast.commander, code="protocol-9", effective_from=dt.date(2022, 12, 1))
    finally:
        policy.RULESET_CHANGED.handlers.remove(listener)
    assert policy.in_force(dt.date(2022, 12, 2)).code == "protocol-9"
    assert AuditEntry.objects.filter(action="ruleset.adopt").exists()


def test_only_the_city_may_switch_rule_sets(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        policy.ruleset_adopt(actor=cast.officer_a, code="protocol-9", effective_from=dt.date(2022, 12, 1))
