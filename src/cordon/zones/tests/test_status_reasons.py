"""Issue 19: a zone's residents hold the status reason its kind gives (rule data), from designation until it is
lifted or cancelled; the colour changes the moment the zone does."""

import pytest

from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.status.models import HealthStatus, StatusReason
from cordon.zones import services
from cordon.zones.tests.conftest import adopt, estate

pytestmark = pytest.mark.django_db


def _colours(people):
    rows = dict(HealthStatus.objects.filter(person__in=people).values_list("person_id", "colour"))
    return {rows.get(p.pk, "green") for p in people}


def test_residents_of_a_sealed_zone_turn_red_at_once_and_green_when_it_is_lifted_by_cancel(city, cast):
    adopt("protocol-8")
    homes = estate(city.a_grid)
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    inside = [p for p in homes.people if p.household.building_id == homes.buildings[0].pk]
    outside = [p for p in homes.people if p not in inside]
    assert _colours(inside) == {"red"} and _colours(outside) == {"green"}
    assert set(StatusReason.objects.filter(active=True, source=zone.source_ref).values_list("reason", flat=True)) == {"sealed_zone"}
    assert AuditEntry.objects.filter(action="status.change_bulk").exists()
    services.zone_cancel(actor=cast.officer_a, zone=zone)
    assert _colours(inside) == {"green"}
    assert not StatusReason.objects.filter(active=True, source=zone.source_ref).exists()


def test_a_controlled_zone_gives_yellow_and_a_precaution_zone_gives_no_reason(city, cast):
    adopt("protocol-8")
    homes = estate(city.a_grid)
    services.zone_designate(actor=cast.officer_a, kind="controlled", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    services.zone_designate(actor=cast.officer_a, kind="precaution", picks=[{"type": "building", "id": homes.buildings[1].pk}])
    first = [p for p in homes.people if p.household.building_id == homes.buildings[0].pk]
    second = [p for p in homes.people if p not in first]
    assert _colours(first) == {"yellow"} and _colours(second) == {"green"}


def test_a_controlled_zone_escalated_to_sealed_on_a_positive_turns_its_residents_red(city, cast):
    adopt("protocol-8")
    homes = estate(city.a_grid)
    zone = services.zone_designate(actor=cast.officer_a, kind="controlled", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    services.zone_confirm(actor=cast.officer_a, zone=zone)
    from cordon.core import clock

    services.zone_positive_found(zone=zone, at=clock.now(), actor=SYSTEM, source="test")
    inside = [p for p in homes.people if p.household.building_id == homes.buildings[0].pk]
    assert _colours(inside) == {"red"}
    assert set(StatusReason.objects.filter(active=True, source=zone.source_ref).values_list("reason", flat=True)) == {"sealed_zone"}


def test_a_lifted_high_risk_area_gives_its_residents_their_green_back(city, cast):
    adopt("measures-2022-11", days_ago=60)
    homes = estate(city.a_grid)
    zone = services.zone_designate(actor=cast.officer_a, kind="high", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    services.zone_confirm(actor=cast.officer_a, zone=zone)
    inside = [p for p in homes.people if p.household.building_id == homes.buildings[0].pk]
    assert _colours(inside) == {"yellow"}  # measures-2022-11: high-risk area residents stay home, yellow
    import datetime as dt

    from cordon.core import clock
    from cordon.zones.models import Zone

    Zone.objects.filter(pk=zone.pk).update(clock_start=clock.now() - dt.timedelta(days=10), in_force_at=clock.now() - dt.timedelta(days=10))
    zone.refresh_from_db()
    services.zone_lift(actor=cast.officer_a, zone=zone, now=clock.now())
    assert _colours(inside) == {"green"}
