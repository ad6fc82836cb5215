import datetime as dt

import numpy as np
import pytest
from django.db import connections, transaction
from django.utils import translation

from cordon.contacts.models import RiskPerson
from cordon.core import bulk, clock
from cordon.people.factories import PersonFactory
from cordon.spacetime.models import PresenceBatch

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
    with translation.override("en"), pytest.raises(ValueError, match="person_id has no default"):
        bulk.insert_rows(RiskPerson, [{"region_path": "x", "category": "close_contact", "last_exposure": when}])


def test_sqlite_datetimes_is_the_text_django_stores():
    epoch = np.array([0, 1_767_225_600 + 3_723], dtype=np.int64)  # 2026-01-01 01:02:03 UTC
    assert bulk.sqlite_datetimes(epoch) == ["1970-01-01 00:00:00", "2026-01-01 01:02:03"]


def test_bulk_writer_loads_rows_with_ids_defaults_and_times_and_puts_the_indexes_back():
    connection = connections["default"]
    table = PresenceBatch._meta.db_table
    with connection.cursor() as cursor:
        indexes = set(connection.introspection.get_constraints(cursor, table))
    created = clock.now().replace(microsecond=0) - dt.timedelta(days=1)
    when = dt.datetime(2026, 1, 1, 1, 2, 3, tzinfo=dt.UTC)
    base = bulk.next_id(connection, PresenceBatch)
    writer = bulk.BulkWriter(connection, created_at=created)
    with transaction.atomic(), writer.loading([PresenceBatch]):
        writer.write(PresenceBatch, ({"id": base + i, "key": f"bulk-{i}", "source": "test"} for i in range(2)))
        start = writer.datetimes(np.array([int(when.timestamp())]))
        writer.write(PresenceBatch, [(base + 2, "bulk-2", "test", start[0])], provided=("id", "key", "source", "first_start"))
        writer.write(PresenceBatch, [])
    writer.reset_sequences([PresenceBatch])
    assert writer.rows == 3
    rows = list(PresenceBatch.objects.filter(key__startswith="bulk-").order_by("pk"))
    assert [r.pk for r in rows] == [base, base + 1, base + 2]
    assert {r.kind for r in rows} == {"upload"} and {r.created_at for r in rows} == {created}  # default, auto_now_add
    assert rows[0].first_start is None and rows[2].first_start == when
    assert PresenceBatch.objects.create(key="after", source="test").pk == base + 3  # the sequence moved past the load
    with connection.cursor() as cursor:
        assert set(connection.introspection.get_constraints(cursor, table)) == indexes
    with translation.override("en"), pytest.raises(ValueError, match="person_id has no default"):  # as insert_rows
        writer.columns(RiskPerson, ("id", "region_path"))
