import datetime as dt

import pytest

from cordon.contacts.models import RiskPerson
from cordon.core import bulk, clock
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_insert_rows_stores_what_the_orm_would_with_defaults_json_and_times(city):
    people = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    when = clock.now().replace(microsecond=0) - dt.timedelta(hours=5)
    evidence = [{"rule": "venue_overlap", "venue": "第一中学", "unit": "初二3班", "minutes": 42}]
    n = bulk.insert_rows(RiskPerson, [{"person_id": p.pk, "region_path": p.region_path, "category": "close_contact",
                                       "last_exposure": when, "evidence": evidence} for p in people], batch=2)
    assert n == 3
    rows = list(RiskPerson.objects.order_by("person_id"))
    assert [r.person_id for r in rows] == [p.pk for p in people]
    r = rows[0]
    assert r.evidence == evidence and r.last_exposure == when and r.plan == [] and r.status == "proposed"
    assert r.note == "" and r.measures_end is None and r.created_at is not None
    with pytest.raises(ValueError, match="person_id has no default"):
        bulk.insert_rows(RiskPerson, [{"region_path": "x", "category": "close_contact", "last_exposure": when}])
