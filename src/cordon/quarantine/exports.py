"""Quarantine registers and reports as files (room reserves, sites, stays, tests due), through core.exports."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from cordon.core import exports
from cordon.core.exports import Column
from cordon.core.filters import NOT_FILTERS
from cordon.quarantine import selectors

RESERVE_COLUMNS = [
    Column("district", lambda r: r["name"]), Column("population", lambda r: r["population"]), Column("target", lambda r: r["target"]),
    Column("rooms", lambda r: r["rooms"]), Column("free", lambda r: r["free"]), Column("gap", lambda r: r["gap"]),
]

SITE_COLUMNS = [
    Column("name", lambda s: s.name), Column("address", lambda s: s.address), Column("region", lambda s: s.region.name),
    Column("status", lambda s: s.get_status_display()), Column("rooms", lambda s: s.rooms_total), Column("free", lambda s: s.rooms_free),
    Column("occupied", lambda s: s.rooms_occupied), Column("lends", lambda s: s.lends_rooms),
]

STAY_COLUMNS = [
    Column("stay", lambda s: s.pk), Column("name", lambda s: s.person.name, pii=exports.NAME), Column("kind", lambda s: s.get_kind_display()),
    Column("site", lambda s: s.site.name if s.site_id else ""), Column("room", lambda s: s.room.number if s.room_id else ""),
    Column("start", lambda s: s.start), Column("planned_end", lambda s: s.planned_end), Column("status", lambda s: s.get_status_display()),
]

TEST_COLUMNS = [
    Column("test_id", lambda t: t.pk), Column("stay_id", lambda t: t.stay_id), Column("day", lambda t: t.day), Column("due", lambda t: t.due),
    Column("site", lambda t: t.stay.site.name if t.stay.site_id else _("home")),
    Column("room", lambda t: t.stay.room.number if t.stay.room_id else ""),
    Column("name", lambda t: t.stay.person.name, pii=exports.NAME), Column("result", lambda t: ""),
]


def reserves_export(*, actor, fmt: str = "xlsx") -> exports.ExportFile:
    """Room reserve targets and gaps per district in the actor's area as a file."""
    exports.export_allowed(actor=actor, domain="quarantine")
    return exports.export(actor=actor, domain="quarantine", name="reserves", columns=RESERVE_COLUMNS,
                          rows=selectors.reserves(actor=actor), region_of=lambda r: r["path"], fmt=fmt, object_type="quarantine.site")


def sites_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Quarantine sites in the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="quarantine", name="sites", columns=SITE_COLUMNS,
                          rows=selectors.site_list(actor=actor, filters=filters), filters=_shown(filters), fmt=fmt)


def stays_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Stays in the actor's area as a file, filtered like the page (names masked unless unmasked)."""
    return exports.export(actor=actor, domain="quarantine", name="stays", columns=STAY_COLUMNS,
                          rows=selectors.stay_list(actor=actor, filters=filters).select_related("person", "site", "room"),
                          filters=_shown(filters), fmt=fmt, unmask=unmask)


def tests_due_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Scheduled tests due, for the sampling team, as a file, filtered like the page (names masked unless unmasked)."""
    return exports.export(actor=actor, domain="quarantine", name="quarantine-tests-due", columns=TEST_COLUMNS,
                          rows=selectors.tests_due(actor=actor, filters=filters).select_related("stay__person", "stay__site",
                                                                                                "stay__room"),
                          filters=_shown(filters), fmt=fmt, unmask=unmask)


def _shown(filters: Mapping | None) -> dict:
    """The filters as the audit entry records them: the given ones, paging and format left out."""
    return {k: str(v) for k, v in (filters or {}).items() if k not in NOT_FILTERS and v not in (None, "")}
