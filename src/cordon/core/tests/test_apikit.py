from types import SimpleNamespace

from ninja import Schema

from cordon.core.apikit import NextStatuses, next_statuses
from cordon.core.lifecycle import Lifecycle


def test_next_statuses_reads_the_status_of_a_row_or_an_object_and_names_the_allowed_moves():
    lifecycle = Lifecycle("thing", {"new": ["open", "closed"], "open": ["closed"], "closed": []})

    class ThingOut(Schema):
        status: str
        next_statuses: NextStatuses
        resolve_next_statuses = next_statuses(lifecycle)

    assert ThingOut.from_orm({"status": "new"}).next_statuses == ["open", "closed"]
    assert ThingOut.from_orm(SimpleNamespace(status="open")).next_statuses == ["closed"]
    assert ThingOut.from_orm(SimpleNamespace(status="closed")).next_statuses == []
    assert "empty when final" in ThingOut.model_json_schema()["properties"]["next_statuses"]["description"]
