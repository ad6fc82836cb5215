"""Mass-testing registers and reports as files (rounds, coverage, tubes, retests, a grid's unsampled residents),
through core.exports."""

from collections.abc import Mapping

from cordon.core import clock, exports
from cordon.core.exports import Column
from cordon.screening import metrics, selectors

ROUND_COLUMNS = [
    Column("id", lambda r: r["round"].pk), Column("name", lambda r: r["round"].name), Column("region", lambda r: r["round"].region_path),
    Column("status", lambda r: r["round"].status), Column("starts_at", lambda r: clock.local(r["round"].starts_at).isoformat()),
    Column("ends_at", lambda r: clock.local(r["round"].ends_at).isoformat()), Column("samples", lambda r: r["samples"]),
    Column("positive_pools", lambda r: r["positive_pools"]),
]

COVERAGE_COLUMNS = [
    Column("path", lambda r: r["path"]), Column("name", lambda r: r["name"]), Column("roster", lambda r: r["roster"]),
    Column("sampled", lambda r: r["sampled"]), Column("missing", lambda r: r["missing"]), Column("coverage %", lambda r: r["coverage"]),
]

TUBE_COLUMNS = [
    Column("code", lambda t: t.code), Column("site", lambda t: t.site.name), Column("count", lambda t: t.count),
    Column("capacity", lambda t: t.capacity), Column("status", lambda t: t.status), Column("result", lambda t: t.result),
    Column("ct_orf1ab", lambda t: t.ct_orf1ab), Column("ct_n", lambda t: t.ct_n), Column("lab", lambda t: t.lab),
    Column("tested_at", lambda t: clock.local(t.tested_at).isoformat() if t.tested_at else ""),
]

RETEST_COLUMNS = [
    Column("id", lambda r: r.pk), Column("pool tube", lambda r: r.pool_tube.code), Column("person_id", lambda r: r.person_id),
    Column("grid", lambda r: r.region_path), Column("status", lambda r: r.status),
    Column("retest tube", lambda r: r.retest_sample.tube.code if r.retest_sample_id else ""), Column("case", lambda r: r.case_id),
]

UNSAMPLED_COLUMNS = [
    Column("person_id", lambda p: p.pk), Column("姓名 name", lambda p: p.name, pii=exports.NAME),
    Column("身份证号 id_number", lambda p: p.id_number, pii=exports.ID_NUMBER),
    Column("电话 phone", lambda p: p.phone, pii=exports.PHONE),
    Column("住址 address", lambda p: p.household.address if p.household_id else "", pii=exports.ADDRESS),
]


def rounds_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Rounds of the actor's area with their sample and positive-pool counts as a file."""
    exports.export_allowed(actor=actor, domain="screening")
    rounds = list(selectors.round_list(actor=actor, filters=filters))
    return exports.export(actor=actor, domain="screening", name="rounds", columns=ROUND_COLUMNS, rows=metrics.rounds_overview(rounds),
                          region_of=lambda r: r["round"].region_path, filters=dict((filters or {}).items()), fmt=fmt, object_type="screening.round")


def coverage_export(*, actor, rnd, level: int, parent: str | None, fmt: str = "xlsx") -> exports.ExportFile:
    """A round's coverage per region at one level as a file."""
    exports.export_allowed(actor=actor, domain="screening")
    return exports.export(actor=actor, domain="screening", name="coverage", columns=COVERAGE_COLUMNS,
                          rows=metrics.coverage(rnd, level=level, parent=parent, actor=actor), region_of=lambda r: r["path"],
                          filters={"round": rnd.pk, "level": level, "parent": parent}, fmt=fmt, object_type="screening.round")


def tubes_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Tubes (of a round) in the actor's area as a file."""
    return exports.export(actor=actor, domain="screening", name="tubes", columns=TUBE_COLUMNS,
                          rows=selectors.tube_list(actor=actor, filters=filters).select_related("site"), filters=dict((filters or {}).items()), fmt=fmt)


def retests_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Retests (of a round) in the actor's area as a file."""
    return exports.export(actor=actor, domain="screening", name="retests", columns=RETEST_COLUMNS,
                          rows=selectors.retest_list(actor=actor, filters=filters).select_related("pool_tube", "retest_sample__tube"),
                          filters=dict((filters or {}).items()), fmt=fmt)


def unsampled_export(*, actor, rnd, grid_path: str, fmt: str = "xlsx", unmask: bool = False) -> exports.ExportFile:
    """A grid's residents not yet sampled in the round, for the door-to-door list; masked unless unmasked."""
    exports.export_allowed(actor=actor, domain="screening", region_path=grid_path)
    return exports.export(actor=actor, domain="screening", name=f"unsampled-{grid_path.rsplit('.', 1)[-1]}", columns=UNSAMPLED_COLUMNS,
                          rows=metrics.unsampled(rnd, grid_path=grid_path, actor=actor).select_related("household"),
                          region_path=grid_path, filters={"round": rnd.pk, "grid": grid_path}, fmt=fmt, unmask=unmask)
