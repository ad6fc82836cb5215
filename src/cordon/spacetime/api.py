import datetime as dt
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cordon.core.apikit import Id, actor, idempotent
from cordon.core.pagination import Pagination
from cordon.spacetime import cells, selectors, services

router = Router(tags=["spacetime"])


class PresenceIn(Schema):
    person_id: Id | None = None
    id_number: str | None = Field(None, max_length=32)
    cell_id: Annotated[str, Field(max_length=32)] | Id | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    start: str = Field(max_length=40)
    end: str = Field(max_length=40)


class PresenceBatchIn(Schema):
    source: str = Field(max_length=80)
    batch: str = Field("", max_length=120)
    items: list[PresenceIn] = Field(min_length=1, max_length=10_000)


class SpacetimePresenceBulkOut(Schema):
    batch: int
    received: int
    stored: int
    duplicates: int
    already_loaded: bool
    replayed: bool = False


class PresenceOut(Schema):
    id: int
    person_id: Id
    cell_id: Id
    cell_label: str
    start: dt.datetime
    end: dt.datetime
    source: str
    batch_id: Id | None

    @staticmethod
    def resolve_cell_label(obj):
        return cells.cell_label(obj.cell_id)


class BatchOut(Schema):
    id: int
    source: str
    kind: str
    filename: str
    created_at: dt.datetime
    received: int
    rows: int
    people: int
    areas: int
    first_start: dt.datetime | None
    last_end: dt.datetime | None
    whole: bool


class SpacetimeBatchRowOut(Schema):
    """A batch as far as it falls inside your area."""

    batch_id: int
    batch__source: str
    batch__kind: str
    batch__filename: str
    batch__created_at: dt.datetime
    batch__received: int
    rows: int
    people: int
    areas: int
    first_start: dt.datetime | None
    last_end: dt.datetime | None


@router.post("/presence/bulk", response={201: SpacetimePresenceBulkOut})
def bulk_presence(request, payload: PresenceBatchIn):
    """Upload up to 10,000 presence rows (person, cell, start, end); send an Idempotency-Key header so retries are harmless."""
    items = [i.model_dump() for i in payload.items]
    body = {"source": payload.source, "batch": payload.batch, "items": items}
    return idempotent(request, scope="spacetime.presence.bulk", payload=body,
                      fn=lambda: (201, services.presence_bulk(actor=actor(request), items=items, source=payload.source,
                                                              batch=payload.batch)))


@router.get("/people/{int:person_id}/presence", response=list[PresenceOut])
@paginate(Pagination)
def person_presence(request, person_id: Id):
    """A person's cell presence, newest first."""
    return selectors.presence_of_person(actor=actor(request), person_id=person_id)


@router.get("/batches", response=list[SpacetimeBatchRowOut])
@paginate(Pagination)
def list_batches(request, area: str | None = None, source: str | None = None):
    """Presence batches, with the part of each inside your area."""
    return selectors.batch_list(actor=actor(request), filters={"area": area, "source": source})


@router.get("/batches/{int:pk}", response=BatchOut)
def get_batch(request, pk: Id):
    """One batch (the part inside your area)."""
    return selectors.batch_get(actor=actor(request), pk=pk)
