"""Presence batches, a batch's grids and one person's presence as files, through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.spacetime import cells, selectors


def _local(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


BATCH_COLUMNS = [
    Column("batch", lambda b: b["batch_id"]), Column("source", lambda b: b["batch__source"]), Column("kind", lambda b: b["batch__kind"]),
    Column("file", lambda b: b["batch__filename"]), Column("loaded_at", lambda b: _local(b["batch__created_at"])),
    Column("rows", lambda b: b["rows"]), Column("people", lambda b: b["people"]), Column("grids", lambda b: b["areas"]),
    Column("first", lambda b: _local(b["first_start"])), Column("last", lambda b: _local(b["last_end"])),
]

AREA_COLUMNS = [
    Column("grid", lambda a: a.region_path), Column("rows", lambda a: a.rows), Column("people", lambda a: a.people),
    Column("first", lambda a: _local(a.first_start)), Column("last", lambda a: _local(a.last_end)),
]

PRESENCE_COLUMNS = [
    Column("name", lambda r: r.person.name, pii=exports.NAME), Column("id_number", lambda r: r.person.id_number, pii=exports.ID_NUMBER),
    Column("cell_id", lambda r: r.cell_id), Column("cell", lambda r: cells.cell_label(r.cell_id)), Column("start", lambda r: _local(r.start)),
    Column("end", lambda r: _local(r.end)), Column("source", lambda r: r.source),
]


def batches_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Presence batches as far as they fall in the actor's area (one row per batch, counts of the visible part)."""
    exports.export_allowed(actor=actor, domain="spacetime")
    # Rows are per-batch sums over the batch's areas already narrowed to the actor's view by the selector.
    return exports.export(actor=actor, domain="spacetime", name="presence-batches", columns=BATCH_COLUMNS,
                          rows=selectors.batch_list(actor=actor, filters=filters), region_field=None, filters=dict((filters or {}).items()), fmt=fmt,
                          object_type="spacetime.presencebatch")


def batch_areas_export(*, actor, pk: int, fmt: str = "xlsx") -> exports.ExportFile:
    """One batch's grids in the actor's area as a file."""
    return exports.export(actor=actor, domain="spacetime", name=f"presence-batch-{pk}", columns=AREA_COLUMNS,
                          rows=selectors.batch_areas(actor=actor, pk=pk), filters={"batch": pk}, fmt=fmt)


def presence_export(*, actor, person_id: int, fmt: str = "xlsx", unmask: bool = False) -> exports.ExportFile:
    """One person's presence rows as a file (name and ID number masked unless unmasked)."""
    return exports.export(actor=actor, domain="spacetime", name=f"presence-{person_id}", columns=PRESENCE_COLUMNS,
                          rows=selectors.presence_of_person(actor=actor, person_id=person_id).select_related("person"),
                          filters={"person": person_id}, fmt=fmt, unmask=unmask)
