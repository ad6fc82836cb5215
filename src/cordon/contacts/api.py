"""Contacts API: risk person lists (per case, venue, district), decisions in bulk, manual entry, export; and
identification of one case again, at its place under the case (POST /cases/{pk}/identify, on cases' router)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.cases import selectors as case_selectors
from cordon.cases.api import router as case_router
from cordon.contacts import selectors, services
from cordon.core.apikit import Id, actor, idempotent
from cordon.core.errors import Conflict
from cordon.core.exports import http_response
from cordon.core.pagination import MappedRows, Pagination

router = Router(tags=["contacts"])


class ContactsPlanPhaseOut(Schema):
    """One phase of a risk person's measure plan (home or central quarantine, health monitoring ...)."""

    kind: str
    start: dt.date
    end: dt.date
    test_days: list[dt.date]
    test_count: int | None = None


class RiskOut(Schema):
    id: int
    person_id: Id
    name: str
    id_number: str
    phone: str
    category: str
    status: str
    next_statuses: list[str] = Field(description="the statuses it may move to next (its lifecycle); empty when final")
    source_case_id: Id | None
    last_exposure: dt.datetime
    evidence: list[dict]
    plan: list[ContactsPlanPhaseOut]
    plan_ruleset: str
    measures_end: dt.date | None
    grid_path: str
    masked: bool


@router.get("/", response=list[RiskOut])
@paginate(Pagination)
def list_risk_people(request, case: Id | None = None, venue: Id | None = None, region: str | None = None,
                     category: str | None = None, status: str | None = None, q: str | None = None):
    """Risk persons in your jurisdiction (masked), per case, venue of exposure or region."""
    filters = {"case": case, "venue": venue, "region": region, "category": category, "status": status, "q": q}
    return MappedRows(selectors.risk_list(actor=actor(request), filters=filters), selectors.risk_card)


EXPORT_CONTENT = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
}


@router.get("/export", openapi_extra={"responses": {200: {"description": "The contact list as an Excel sheet or, with format=csv, a CSV file",
                                                         "content": EXPORT_CONTENT}}})
def export(request, case: Id | None = None, venue: Id | None = None, region: str | None = None, category: str | None = None,
           status: str | None = None, unmask: bool = False, format: str = "xlsx"):
    """Excel (or `format=csv`) export of a contact list, masked unless `unmask=true` and permitted (audited)."""
    filters = {"case": case, "venue": venue, "region": region, "category": category, "status": status}
    return http_response(services.risk_export(actor=actor(request), unmask=unmask, fmt=format, filters=filters))


@router.get("/{int:pk}", response=RiskOut)
def get_risk_person(request, pk: Id):
    """One risk person with evidence and measure plan (masked)."""
    return selectors.risk_card(selectors.risk_get(actor=actor(request), pk=pk))


class ContactsDecideIn(Schema):
    ids: list[Id] = Field(max_length=5000)
    decision: str = Field(max_length=10)
    note: str = Field("", max_length=200)


class ContactsDecidedOut(Schema):
    decided: int
    decision: str
    replayed: bool = False


@router.post("/decide", response=ContactsDecidedOut)
def decide(request, payload: ContactsDecideIn):
    """Confirm or reject proposals in bulk (all or nothing; Idempotency-Key makes a repeat harmless)."""
    who = actor(request)
    return idempotent(request, scope="contacts.decide", payload=payload.dict(),
                      fn=lambda: (200, services.risk_decide(actor=who, **payload.dict())))


class ContactsAddIn(Schema):
    person_id: Id
    category: str = Field(max_length=24)
    last_exposure: dt.datetime
    note: str = Field("", max_length=200)
    source_case_id: Id | None = None


@router.post("/", response={201: RiskOut})
def add(request, payload: ContactsAddIn):
    """Enter a risk person by hand; measures are planned at once."""
    row = services.risk_add(actor=actor(request), **payload.dict())
    return Status(201, selectors.risk_card(row))


@router.post("/{int:pk}/release", response=RiskOut)
def release(request, pk: Id):
    """Release when the plan is over and its last test is negative; otherwise 409 with the reason."""
    who = actor(request)
    risk = selectors.risk_get(actor=who, pk=pk, action="change")
    result = services.measures_advance(actor=who, rows=selectors.risk_list(actor=who).filter(pk=risk.pk))
    if not result["released"]:
        reason = "the last scheduled test has no negative result yet" if result["waiting_test"] else "the plan is still running"
        raise Conflict(_("status: not released, %(reason)s") % {"reason": reason}, fields=[{"field": "status", "message": reason}])
    risk.refresh_from_db()
    return selectors.risk_card(risk)


class ContactsIdentifiedOut(Schema):
    """What identification wrote (rows created, updated, withdrawn, extended) and found per category; a category the
    rule set in force does not identify is null."""

    created: int
    updated: int
    withdrawn: int
    extended: int
    close_contact: int
    general_contact: int
    secondary_contact: int | None = None
    spacetime_companion: int | None = None


# The operation keeps the path, tags and operation id it had when cases served it.
@case_router.post("/{int:pk}/identify", response=ContactsIdentifiedOut, operation_id="cordon_cases_api_identify")
def identify(request, pk: Id):
    """Run contact identification again now; returns counts."""
    who = actor(request)
    case = case_selectors.case_get(actor=who, pk=pk, action="change")
    return services.contacts_identify(actor=who, case=case)
