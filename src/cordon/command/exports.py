"""Command registers and reports as files (tasks, task statistics, responsibilities, supervision ledger,
accountability, dispatch matches), through core.exports. A list exports the rows its page shows: the same filters
(command.filters) applied by the same selector."""

from collections.abc import Mapping

from cordon.command import selectors
from cordon.command.models import TaskStatus
from cordon.core import clock, exports
from cordon.core.exports import Column


def _minute(value) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""


TASK_COLUMNS = [
    Column("id", lambda t: t.pk), Column("title", lambda t: t.title), Column("kind", lambda t: t.kind), Column("region", lambda t: t.region_path),
    Column("owner", lambda t: t.owner.username if t.owner else ""), Column("deadline", lambda t: _minute(t.deadline)),
    Column("priority", lambda t: t.priority), Column("status", lambda t: t.status), Column("escalation", lambda t: t.escalation_level),
    Column("overdue", lambda t: t.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS) and t.deadline < clock.now()),
]

TASK_STAT_COLUMNS = [
    Column("unit/owner", lambda r: r["label"]), Column("total", lambda r: r["total"]), Column("on time", lambda r: r["on_time"]),
    Column("late", lambda r: r["late"]), Column("open", lambda r: r["open"]), Column("overdue", lambda r: r["overdue"]),
    Column("escalated", lambda r: r["escalated"]), Column("on time %", lambda r: r["on_time_pct"]),
]

RESPONSIBILITY_COLUMNS = [
    Column("type", lambda r: r.object_type), Column("object", lambda r: r.object_id), Column("label", lambda r: r.label),
    Column("region", lambda r: r.region_path), Column("responsible", lambda r: r.responsible.username),
    Column("deputy", lambda r: r.deputy.username if r.deputy else ""), Column("phone", lambda r: r.phone, pii=exports.PHONE),
    Column("since", lambda r: clock.local(r.assigned_at).strftime("%Y-%m-%d")),
]

LEDGER_COLUMNS = [
    Column("id", lambda i: i.pk), Column("title", lambda i: i.title), Column("severity", lambda i: i.severity),
    Column("owner", lambda i: i.owner.username), Column("deadline", lambda i: _minute(i.deadline)), Column("status", lambda i: i.status),
    Column("public tracking", lambda i: i.public_tracking), Column("region", lambda i: i.region_path),
    Column("place", lambda i: i.inspection.place if i.inspection else ""),
]

ACCOUNTABILITY_KEYS = ["name", "inspections", "found", "severe", "closed_on_time", "closed_late", "reopened", "still_open", "open_overdue",
                       "tasks_on_time", "tasks_late", "tasks_overdue", "flag"]
ACCOUNTABILITY_COLUMNS = [Column(k, lambda r, k=k: r[k]) for k in ACCOUNTABILITY_KEYS]

DISPATCH_COLUMNS = [
    Column("id", lambda m: m.pk), Column("resource", lambda m: m.resource), Column("quantity", lambda m: m.quantity),
    Column("lender", lambda m: m.region_path), Column("borrower", lambda m: m.borrower_path), Column("status", lambda m: m.status),
    Column("distance km", lambda m: m.distance_km), Column("due back", lambda m: m.due_back),
]


def _given(filters: Mapping | None) -> dict:
    """The filters as the audit records them."""
    return dict((filters or {}).items())


def tasks_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Tasks in the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="command", name="tasks", columns=TASK_COLUMNS,
                          rows=selectors.task_list(actor=actor, filters=filters), filters=_given(filters), fmt=fmt)


def task_stats_export(*, actor, by: str, since=None, until=None, fmt: str = "xlsx") -> exports.ExportFile:
    """Task statistics per owner or unit of the actor's area as a file."""
    exports.export_allowed(actor=actor, domain="command")
    return exports.export(actor=actor, domain="command", name="task-stats", columns=TASK_STAT_COLUMNS,
                          rows=selectors.task_stats(actor=actor, by=by, since=since, until=until),
                          filters={"by": by, "since": since, "until": until}, fmt=fmt, object_type="command.task")


def responsibilities_export(*, actor, fmt: str = "xlsx", unmask: bool = False, filters: Mapping | None = None) -> exports.ExportFile:
    """Named responsibilities in the actor's area as a file (phones masked unless unmasked), filtered like the page."""
    return exports.export(actor=actor, domain="command", name="responsibilities", columns=RESPONSIBILITY_COLUMNS,
                          rows=selectors.responsibility_list(actor=actor, filters=filters), filters=_given(filters), fmt=fmt, unmask=unmask)


def ledger_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """The supervision ledger (挂账销号) of the actor's area as a file, filtered like the page."""
    return exports.export(actor=actor, domain="command", name="ledger", columns=LEDGER_COLUMNS,
                          rows=selectors.ledger_list(actor=actor, filters=filters), filters=_given(filters), fmt=fmt)


def accountability_export(*, actor, start, end, by: str, fmt: str = "xlsx") -> exports.ExportFile:
    """The accountability report per unit and period as a file."""
    exports.export_allowed(actor=actor, domain="command")
    return exports.export(actor=actor, domain="command", name=f"accountability-{start}-{end}", columns=ACCOUNTABILITY_COLUMNS,
                          rows=selectors.accountability_report(actor=actor, start=start, end=end, by=by), region_of=lambda r: r["unit"],
                          filters={"start": start, "end": end, "by": by}, fmt=fmt, object_type="command.ledgeritem")


def dispatch_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None) -> exports.ExportFile:
    """Cross-district dispatch matches in the actor's area as a file, filtered like the page (match_status)."""
    return exports.export(actor=actor, domain="command", name="dispatch", columns=DISPATCH_COLUMNS,
                          rows=selectors.dispatch_matches(actor=actor, filters=filters), filters=_given(filters), fmt=fmt)
