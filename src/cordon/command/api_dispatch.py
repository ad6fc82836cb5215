"""Command API, the people and items of a loan: who is lent (destination post, start, planned return, back or not),
rooms, supplies or lab capacity by item, the return of each person, and the staff lent to your area. Mounted on
command's router (command.api), so under /api/v1/command/dispatch/..."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.command import rules, selectors, services
from cordon.command.api_duty import CommandResponsibleOut, responsible_of
from cordon.core.apikit import Day, Id, actor
from cordon.core.pagination import MappedRows, Pagination

router = Router(tags=["command"])


class CommandLoanMemberOut(Schema):
    id: int
    loan_id: int
    user_id: Id
    name: str
    post: str
    post_path: str
    lender_path: str
    borrower_path: str
    start: dt.date
    planned_return: dt.date
    returned_at: dt.datetime | None


class CommandLoanLineOut(Schema):
    id: int
    item: str
    quantity: int
    unit: str


class CommandLoanOut(Schema):
    id: int
    responsible: CommandResponsibleOut | None = None  # who answers for the loan now (the lender's post) and the deputy
    resource: str
    quantity: int
    status: str
    lender_path: str
    borrower_path: str
    due_back: dt.date | None
    people: list[CommandLoanMemberOut]
    items: list[CommandLoanLineOut]


class CommandLendIn(Schema):
    user_id: Id
    post: str = Field(max_length=200)
    post_path: str = Field("", max_length=100)
    start: Day | None = None
    planned_return: Day | None = None


class CommandLineIn(Schema):
    item: str = Field(max_length=120)
    quantity: int = Field(ge=1, le=1_000_000)
    unit: str = Field("", max_length=20)


def _member(p) -> dict:
    return {"id": p.pk, "loan_id": p.match_id, "user_id": p.user_id, "name": rules.display_name(p.user), "post": p.post,
            "post_path": p.post_path, "lender_path": p.match.region_path, "borrower_path": p.match.borrower_path, "start": p.start,
            "planned_return": p.planned_return, "returned_at": p.returned_at}


def _loan(m) -> dict:
    return {"id": m.pk, "resource": m.resource, "quantity": m.quantity, "status": m.status, "lender_path": m.region_path,
            "borrower_path": m.borrower_path, "due_back": m.due_back, "people": [_member(p) for p in m.members.select_related("user", "match")],
            "items": [{"id": line.pk, "item": line.item, "quantity": line.quantity, "unit": line.unit} for line in m.lines.all()],
            "responsible": responsible_of("loan", m)}


@router.get("/dispatch/matches/{int:pk}", response=CommandLoanOut)
def get_loan(request, pk: Id):
    """One loan your area lends or borrows, with the people lent and the items."""
    return _loan(selectors.dispatch_loan_get(actor=actor(request), pk=pk))


@router.post("/dispatch/matches/{int:pk}/people", response={201: CommandLoanMemberOut})
def lend_person(request, pk: Id, payload: CommandLendIn):
    """Name a person lent (the lender): destination post, start and planned return; nobody is lent twice at once (409)."""
    who = actor(request)
    m = selectors.dispatch_match_get(actor=who, pk=pk, action="change")
    return Status(201, _member(services.dispatch_lend_person(actor=who, match=m, **payload.dict())))


@router.post("/dispatch/matches/{int:pk}/items", response={201: CommandLoanLineOut})
def add_line(request, pk: Id, payload: CommandLineIn):
    """List rooms, supplies or lab capacity lent, by item (the lender)."""
    who = actor(request)
    m = selectors.dispatch_match_get(actor=who, pk=pk, action="change")
    line = services.dispatch_add_line(actor=who, match=m, **payload.dict())
    return Status(201, {"id": line.pk, "item": line.item, "quantity": line.quantity, "unit": line.unit})


@router.post("/dispatch/people/{int:pk}/return", response=CommandLoanMemberOut)
def return_person(request, pk: Id):
    """Confirm one person lent is back (the lender); the loan is returned when everyone is."""
    who = actor(request)
    return _member(services.dispatch_return_person(actor=who, member=selectors.dispatch_member_get(actor=who, pk=pk)))


@router.get("/dispatch/staff", response=list[CommandLoanMemberOut])
@paginate(Pagination)
def staff_on_loan(request):
    """People lent to your area and serving there now (your staff until their return is confirmed)."""
    return MappedRows(selectors.staff_on_loan(actor=actor(request)), _member)
