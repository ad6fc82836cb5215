"""measures_apply_many (many risk persons at once) writes the same rows as measures_apply one row at a time."""

import datetime as dt

import pytest
import time_machine

from cordon.contacts import services
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine.models import PlacementRequest
from cordon.status.models import HealthStatus, StatusChange, StatusReason

pytestmark = pytest.mark.django_db

# (category, days since the last exposure, status before): a new close contact, a secondary contact (not managed by
# the rule set in force: released at once), one whose plan is already over (released too), one re-planned with a
# later exposure (its reasons move, its request is extended)
SHAPES = [("close_contact", 1, "confirmed"), ("secondary_contact", 2, "confirmed"), ("close_contact", 40, "confirmed"),
          ("close_contact", 0, "under_measures")]


def _family(city):
    first = PersonFactory(grid=city.a_grid)
    rows = []
    for n, (category, days, _status) in enumerate(SHAPES):
        person = first if n == 0 else PersonFactory(grid=city.a_grid, household=first.household)
        rows.append(RiskPerson.objects.create(person=person, region_path=person.region_path, category=category,
                                              last_exposure=clock.now() - dt.timedelta(days=days, hours=3),
                                              status="confirmed", evidence=[{"rule": "manual"}]))
    return rows


def _prepare(actor, rows):
    """The last row is already under measures from an earlier exposure (its reasons and request exist)."""
    last = rows[-1]
    last.last_exposure -= dt.timedelta(days=2)
    last.save(update_fields=["last_exposure"])
    services.measures_apply(actor=actor, risk=last, why="confirmed")
    last.last_exposure += dt.timedelta(days=2)
    last.save(update_fields=["last_exposure"])


def _picture(rows) -> list:
    """Everything the plans wrote, per row, without ids and write times."""
    out = []
    for r in rows:
        r.refresh_from_db()
        reasons = sorted((s.reason, s.since, s.until, s.active) for s in StatusReason.objects.filter(source=r.source))
        status = HealthStatus.objects.get(person_id=r.person_id)
        requests = sorted((q.category, q.start, q.end, q.status)
                          for q in PlacementRequest.objects.filter(person_id=r.person_id))
        changes = [(c.colour_from, c.colour_to, c.reasons) for c in StatusChange.objects.filter(person_id=r.person_id)
                   .order_by("pk")]
        out.append({"row": (r.category, r.status, r.plan, r.plan_ruleset, r.measures_end, r.note, r.released_at is None),
                    "reasons": reasons, "colour": (status.colour, status.reasons), "requests": requests,
                    "last_change": changes[-1] if changes else None})
    return out


def test_the_batch_writes_the_same_rows_as_one_at_a_time(city, cast):
    with time_machine.travel(clock.now(), tick=False):  # reasons set without a start begin now: one instant for both
        one, many = _family(city), _family(city)
        for rows in (one, many):
            _prepare(cast.officer_a, rows)
        for r in one:
            services.measures_apply(actor=cast.officer_a, risk=r, why="confirmed")
        services.measures_apply_many(actor=cast.officer_a, risks=many, why="confirmed")
        a, b = _picture(one), _picture(many)
    assert a == b
    assert [p["row"][1] for p in a] == ["under_measures", "released", "released", "under_measures"]  # secondary: not managed
    assert a[0]["colour"][0] == "red" and a[0]["requests"] and a[3]["requests"][0][3] == "queued"
    assert len(a[3]["requests"]) == 1  # re-planned: the open request is extended, not doubled
    entry = AuditEntry.objects.filter(action="contacts.plan", changes__count=4).get()
    assert entry.changes["ids"] == [r.pk for r in many] and entry.changes["why"] == "confirmed"


def test_a_row_the_lifecycle_refuses_refuses_the_batch_before_anything_is_written(city, cast):
    rows = _family(city)
    RiskPerson.objects.filter(pk=rows[1].pk).update(status="rejected")
    rows[1].refresh_from_db()
    with pytest.raises(Conflict):
        services.measures_apply_many(actor=cast.officer_a, risks=rows, why="confirmed")
    assert not StatusReason.objects.filter(person_id__in=[r.person_id for r in rows]).exists()
    assert set(RiskPerson.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)) == {"confirmed", "rejected"}


def test_a_decision_of_many_contacts_plans_them_all(city, cast):
    rows = [_family(city)[i] for i in (0, 3)]
    RiskPerson.objects.filter(pk__in=[r.pk for r in rows]).update(status="proposed")
    services.risk_decide(actor=cast.officer_a, ids=[r.pk for r in rows], decision="confirm")
    for r in rows:
        r.refresh_from_db()
        assert r.status == "under_measures" and r.plan
        assert StatusReason.objects.filter(source=r.source, reason=r.category, active=True).exists()
