"""The enrolment list of a day as a file, through core.exports (masked unless unmasked and permitted, audited)."""

import datetime as dt
from collections.abc import Mapping

from cordon.core import exports
from cordon.core.exports import NAME, PHONE, Column
from cordon.selfreport import selectors

COLUMNS = [
    Column("name", lambda e: e.person.name, pii=NAME), Column("phone", lambda e: e.person.phone, pii=PHONE),
    Column("grid", lambda e: e.region_path), Column("measure", lambda e: e.get_kind_display()),
    Column("start", lambda e: e.start.isoformat()), Column("end", lambda e: e.end.isoformat()),
    Column("reported", lambda e: "yes" if e.reported else "no"), Column("fever_or_symptoms", lambda e: "yes" if e.alarm else "no"),
    Column("missed_task", lambda e: "yes" if e.missed else "no"),
]


def enrolments_export(*, actor, fmt: str = "xlsx", filters: Mapping | None = None, day: dt.date | None = None,
                      unmask: bool = False) -> exports.ExportFile:
    """Enrolled people of a day in the actor's area with the day's state, filtered like the page."""
    return exports.export(actor=actor, domain="selfreport", name="selfreport", columns=COLUMNS, unmask=unmask,
                          rows=selectors.enrolment_list(actor=actor, filters=filters, day=day),
                          filters=filters, fmt=fmt)
