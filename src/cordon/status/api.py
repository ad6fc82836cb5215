"""Health status API: a person's colour, reasons and history."""

import datetime as dt

from ninja import Router, Schema

from cordon.core.apikit import Id, actor
from cordon.status import selectors

router = Router(tags=["status"])


class ChangeOut(Schema):
    at: dt.datetime
    colour_from: str
    colour_to: str
    reasons: list[str]
    ruleset: str


class ReasonOut(Schema):
    reason: str
    source: str
    since: dt.datetime
    until: dt.datetime | None


class StatusOut(Schema):
    person_id: Id
    colour: str
    reasons: list[str]
    last_negative_at: dt.datetime | None
    updated_at: dt.datetime | None
    history: list[ChangeOut]
    active_reasons: list[ReasonOut]


@router.get("/people/{int:person_id}", response=StatusOut)
def person_status(request, person_id: Id):
    """A person's colour (red/yellow/green) with its reasons and history."""
    return selectors.status_of(actor=actor(request), person_id=person_id)


class StatusCountsOut(Schema):
    """People per colour that is not green (green is everyone else)."""

    red: int
    yellow: int


@router.get("/counts", response=StatusCountsOut)
def counts(request):
    """People per colour in your jurisdiction (green is everyone else)."""
    c = selectors.colour_counts(actor=actor(request))
    return {"red": c.get("red", 0), "yellow": c.get("yellow", 0)}
