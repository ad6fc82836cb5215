"""Passages in a batch (community.passages_record_many, issue 24): all checked before any is written; a refused exit
names its row, or is left out with skip_refused; overrides keep their own audit entry, the other passages share one
(a single passage keeps its own, as passage_record always wrote)."""

import pytest

from cordon.community import services
from cordon.community.models import EntranceLog
from cordon.core.errors import Conflict
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.status import services as status_services
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(city):
    homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=4)
    status_services.reason_set(actor=SYSTEM, person_id=homes.people[1].pk, reason="confirmed", source="test:1")
    return homes


def _out(person, **kw):
    b = person.household.building
    return {"community_id": b.community_id, "compound": b.compound, "direction": "out", "person_id": person.pk, **kw}


def test_a_refused_exit_in_a_batch_names_its_row_and_nothing_is_written(homes, cast):
    with pytest.raises(Conflict) as exc:
        services.passages_record_many(actor=cast.officer_a, items=[_out(p) for p in homes.people[:3]])
    assert exc.value.code == "exit_refused" and exc.value.fields[0]["row"] == 2
    assert not EntranceLog.objects.exists() and not AuditEntry.objects.filter(action__startswith="entrance.").exists()


def test_refused_exits_are_left_out_and_the_others_share_one_audit_entry(homes, cast):
    people = homes.people
    logs = services.passages_record_many(actor=cast.officer_a, skip_refused=True, items=[_out(p) for p in people])
    assert [log is None for log in logs] == [False, True, False, False]
    assert set(EntranceLog.objects.values_list("person_id", flat=True)) == {people[0].pk, people[2].pk, people[3].pk}
    entry = AuditEntry.objects.get(action="entrance.passage")
    assert entry.changes["count"] == 3 and entry.changes["ids"] == [logs[0].pk, logs[2].pk, logs[3].pk]
    assert entry.object_id == str(logs[0].pk) and entry.region_path == logs[0].region_path


def test_an_override_in_a_batch_has_its_own_entry_and_a_single_passage_its_own(homes, cast):
    people = homes.people
    logs = services.passages_record_many(actor=cast.officer_a, items=[
        _out(people[0]), _out(people[1], override_reason="分娩 / childbirth")])
    over = AuditEntry.objects.get(action="entrance.override")
    assert over.object_id == str(logs[1].pk) and over.changes["reason"] == "分娩 / childbirth"
    assert logs[1].colour == "red" and logs[1].override_reason == "分娩 / childbirth"
    plain = AuditEntry.objects.get(action="entrance.passage")
    assert plain.object_id == str(logs[0].pk) and plain.changes["person"] == people[0].pk
    log = services.passage_record(actor=cast.officer_a, **_out(people[2]))
    assert AuditEntry.objects.filter(action="entrance.passage", object_id=str(log.pk)).count() == 1
