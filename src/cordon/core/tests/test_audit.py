import pytest
from django.core.management import CommandError, call_command

from cordon.core import audit
from cordon.core.models import AuditEntry, AuditHead
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _entries(n=5):
    for i in range(n):
        audit.record(SYSTEM, "test.write", object_type="x", object_id=i, changes={"i": i})


def test_an_untouched_chain_verifies():
    _entries()
    result = audit.verify()
    assert result.ok and result.checked == 5


def test_it_catches_a_changed_row():
    _entries()
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("pk")[2].pk).update(changes={"i": 99})
    result = audit.verify()
    assert not result.ok and "changed" in result.problem and result.entry_id == AuditEntry.objects.order_by("pk")[2].pk


def test_it_catches_a_deleted_row():
    _entries()
    victim = AuditEntry.objects.order_by("pk")[1]
    victim.delete()
    result = audit.verify()
    assert not result.ok and "deleted" in result.problem


def test_it_catches_a_deleted_tail():
    _entries()
    AuditEntry.objects.order_by("-pk").first().delete()
    assert "deleted" in audit.verify().problem


def test_it_catches_an_inserted_row_with_a_recomputed_hash():
    _entries(3)
    last = AuditEntry.objects.order_by("pk").last()
    forged = AuditEntry.objects.create(at=last.at, actor_id=None, actor_label="mallory", action="forged", object_type="",
                                       object_id="", region_path="", changes={}, request_id="", prev_hash="f" * 64, hash="")
    forged.hash = audit.entry_hash("f" * 64, pk=forged.pk, at=forged.at, actor_id=None, actor_label="mallory",
                                   action="forged", object_type="", object_id="", region_path="", changes={}, request_id="")
    forged.save()
    AuditHead.objects.update(last_id=forged.pk, last_hash=forged.hash)
    result = audit.verify()
    assert not result.ok and result.entry_id == forged.pk


def test_the_command_reports_the_first_tampered_row():
    _entries()
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("pk")[3].pk).update(actor_label="someone else")
    with pytest.raises(CommandError, match="changed"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_long_list_of_object_ids_is_cut_at_a_comma_to_fit_and_the_chain_verifies():
    ids = ",".join(str(100000 + i) for i in range(20))
    entry = audit.record(SYSTEM, "contacts.confirm", object_type="contacts.riskperson", object_id=ids, changes={"ids": ids})
    entry.refresh_from_db()
    assert len(entry.object_id) <= 64 and entry.object_id.endswith("…") and ids.startswith(entry.object_id[:-1])
    assert entry.object_id[:-1].split(",")[-1] in ids.split(",")
    assert audit.verify().ok


def test_entries_written_under_a_city_time_clock_verify_after_the_database_gives_back_utc():
    import datetime as dt
    import zoneinfo

    from cordon.sim.clock import simulated_time

    city = zoneinfo.ZoneInfo("Asia/Shanghai")
    with simulated_time(dt.datetime(2027, 1, 1, 0, 30, 0, 123456, tzinfo=city)) as sim:
        _entries(3)
        sim.set(dt.datetime(2027, 1, 1, 23, 59, 59, 999999, tzinfo=city))
        _entries(2)
    assert audit.verify().ok


def test_one_row_changed_with_raw_sql_is_named_by_verify():
    from django.db import connection

    _entries(6)
    victim = AuditEntry.objects.order_by("pk")[3]
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s WHERE id = %s", ["mallory", victim.pk])
    result = audit.verify()
    assert not result.ok and result.entry_id == victim.pk and f"entry {victim.pk} was changed" in result.problem


def test_an_entry_without_an_actor_is_refused_and_the_platform_is_named():
    from cordon.core import access

    with pytest.raises(ValueError):
        audit.record(None, "test.write", object_type="x", object_id=1)
    assert audit.record(access.system("scheduler"), "test.write", object_type="x", object_id=1).actor_label == "system:scheduler"
