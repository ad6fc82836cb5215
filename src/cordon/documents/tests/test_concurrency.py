"""Numbers under concurrency (PostgreSQL): officers of one district issuing at the same instant get distinct,
consecutive numbers with no gap, because the counter row is locked until each issue commits."""

import threading

import pytest
from django.db import connection, connections

from cordon.documents import services
from cordon.documents.models import Counter, Document
from cordon.documents.tests import records

WORKERS = 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: run with DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_get_consecutive_numbers_without_gaps(city, cast):
    people = [records.risk(city).pk for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    numbers, errors = [], []

    def issue(pk):
        try:
            start.wait()
            numbers.append(services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=pk).serial)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, WORKERS + 1))
    assert Document.objects.values("number").distinct().count() == WORKERS
    assert Counter.objects.get(kind="quarantine_notice").last == WORKERS
