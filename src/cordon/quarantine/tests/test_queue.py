import datetime as dt

import pytest
from django.http import Http404

from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.models import PlacementRequest

D1, D2 = dt.date(2026, 11, 1), dt.date(2026, 11, 8)


def _enqueue(actor, person, source="contacts.riskperson:1", **kw):
    return services.placement_enqueue(actor=actor, person_id=person.pk, category=kw.pop("category", "close_contact"),
                                      start=kw.pop("start", D1), end=kw.pop("end", D2), source=source, **kw)


@pytest.mark.django_db
def test_enqueue_creates_a_queued_request_in_the_persons_grid(city, cast):
    p = PersonFactory(grid=city.a_grid)
    req = _enqueue(cast.officer_a, p)
    assert req.status == "queued"
    assert req.region_path == city.a_grid.path
    assert req.household_id == p.household_id
    assert AuditEntry.objects.filter(action="placement_request.enqueue", object_id=str(req.pk)).exists()


@pytest.mark.django_db
def test_enqueue_twice_with_the_same_source_returns_the_same_request(city, cast):
    p = PersonFactory(grid=city.a_grid)
    a = _enqueue(cast.officer_a, p)
    b = _enqueue(cast.officer_a, p)
    assert a.pk == b.pk
    assert PlacementRequest.objects.count() == 1
    c = _enqueue(cast.officer_a, p, source="contacts.riskperson:2")  # one measure per person: the same request
    assert c.pk == a.pk and PlacementRequest.objects.count() == 1


@pytest.mark.django_db
def test_enqueue_again_after_cancel_opens_a_new_request(city, cast):
    p = PersonFactory(grid=city.a_grid)
    a = _enqueue(cast.officer_a, p)
    assert services.placement_cancel(actor=cast.officer_a, source="contacts.riskperson:1") == 1
    b = _enqueue(cast.officer_a, p)
    assert b.pk != a.pk and b.status == "queued"


@pytest.mark.django_db
def test_enqueue_refuses_bad_input_naming_the_field(city, cast):
    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(ServiceError) as e:
        _enqueue(cast.officer_a, p, end=dt.date(2026, 10, 1))
    assert e.value.fields[0]["field"] == "end"
    with pytest.raises(ServiceError) as e:
        _enqueue(cast.officer_a, p, category="tourist")
    assert e.value.fields[0]["field"] == "category"
    with pytest.raises(Http404):  # an unknown person answers like another district's (not found)
        services.placement_enqueue(actor=cast.officer_a, person_id=999999, category="close_contact", start=D1,
                                   end=D2, source="x")
    with pytest.raises(ServiceError):
        _enqueue(cast.officer_a, p, source=" ")
    assert PlacementRequest.objects.count() == 0


@pytest.mark.django_db
def test_enqueue_outside_the_actors_district_is_refused(city, cast):
    from django.core.exceptions import PermissionDenied

    p = PersonFactory(grid=city.a_grid)
    with pytest.raises(Http404):  # another district's resident is not there for B
        _enqueue(cast.officer_b, p)
    with pytest.raises(PermissionDenied):
        _enqueue(cast.viewer_a, p)


@pytest.mark.django_db
def test_the_platform_enqueues_as_a_named_system_actor_and_nobody_enqueues_as_none(city):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from cordon.core import access
    from cordon.core.models import AuditEntry

    p = PersonFactory(grid=city.a_grid)
    req = _enqueue(access.system("contacts"), p)
    assert req.status == "queued"
    assert AuditEntry.objects.get(action="placement_request.enqueue", object_id=str(req.pk)).actor_label == "system:contacts"
    with pytest.raises((PermissionDenied, Http404)):  # nothing is visible to nobody
        _enqueue(None, PersonFactory(grid=city.a_grid))


@pytest.mark.django_db
def test_cancel_withdraws_only_open_requests_of_that_source(city, cast):
    p1, p2, p3, p4 = (PersonFactory(grid=city.a_grid) for _ in range(4))
    _enqueue(cast.officer_a, p1, source="s:1")
    _enqueue(cast.officer_a, p2, source="s:1")
    other = _enqueue(cast.officer_a, p3, source="s:2")
    shared = _enqueue(cast.officer_a, p3, source="s:1")  # served by s:2's request
    placed = _enqueue(cast.officer_a, p4, source="s:1")
    PlacementRequest.objects.filter(pk=placed.pk).update(status="placed")
    assert shared.pk == other.pk
    assert services.placement_cancel(actor=cast.officer_a, source="s:1") == 2
    assert services.placement_cancel(actor=cast.officer_a, source="s:1") == 0
    other.refresh_from_db()
    assert other.status == "queued" and other.also_sources == []
    assert PlacementRequest.objects.get(pk=placed.pk).status == "placed"
    assert PlacementRequest.objects.filter(status="cancelled").count() == 2
    assert AuditEntry.objects.filter(action="placement_request.cancel").count() == 1
