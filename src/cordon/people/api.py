import datetime as dt

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core import exports
from cordon.core.apikit import Id, actor, file_responses
from cordon.core.pagination import MappedRows, Pagination
from cordon.people import selectors, services

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    birth_year: int
    age: int
    household_id: Id | None
    address: str
    grid_path: str
    vulnerable: list[str]
    masked: bool


@router.get("/", response=list[PersonOut])
@paginate(Pagination)
def list_people(request, grid: str | None = None, q: str | None = None, vulnerable: str | None = None):
    """Residents in your jurisdiction, masked."""
    who = actor(request)
    qs = selectors.person_list(actor=who, grid=grid, q=q, vulnerable=vulnerable).select_related("household")
    return MappedRows(qs, lambda p: selectors.person_card(p, actor=who))


@router.get("/{int:pk}", response=PersonOut)
def get_person(request, pk: Id, unmask: bool = False):
    """One resident; `unmask=true` needs the unmask permission and is audited."""
    who = actor(request)
    return selectors.person_card(selectors.person_get(actor=who, pk=pk), actor=who, unmask=unmask)


class PeopleImportOut(Schema):
    rows: int
    created: int
    updated: int


@router.post("/import", response=PeopleImportOut)
def import_people(request, file: File[UploadedFile]):
    """Atomic CSV/XLSX import: every error listed by row and field, nothing written when any row is bad."""
    return services.people_import(actor=actor(request), data=file.read(), filename=file.name)


@router.get("/export", openapi_extra=file_responses("xlsx", "csv"))
def export_people(request, grid: str | None = None, vulnerable: str | None = None, unmask: bool = False, format: str = "xlsx"):
    """Excel (or `format=csv`) export, masked unless `unmask=true` and permitted; audited."""
    return exports.http_response(services.people_export(actor=actor(request), unmask=unmask, fmt=format,
                                                        filters={"grid": grid, "vulnerable": vulnerable}))


class PeopleMoveIn(Schema):
    id_number: str
    name: str
    grid_id: Id
    address: str
    note: str = ""


class MoveDecisionIn(Schema):
    note: str = ""


class MoveOut(Schema):
    id: int
    name: str
    id_number: str
    to_grid: str
    to_grid_path: str
    address: str
    note: str
    status: str
    status_label: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    resident: PersonOut | None
    can_decide: bool


@router.get("/moves", response=list[MoveOut])
@paginate(Pagination)
def list_moves(request, status: str | None = None):
    """Move-in requests (迁入) your area filed, or must decide for its residents."""
    who = actor(request)
    return MappedRows(selectors.move_list(actor=who, filters={"status": status}), lambda m: selectors.move_card(m, actor=who))


@router.post("/moves", response={201: MoveOut})
def request_move(request, payload: PeopleMoveIn):
    """File a move-in for a resident of another area; the same answer whether or not the ID number is known."""
    who = actor(request)
    move = services.move_request(actor=who, **payload.dict())
    return Status(201, selectors.move_card(move, actor=who))


@router.post("/moves/{int:pk}/accept", response=MoveOut)
def accept_move(request, pk: Id, payload: MoveDecisionIn):
    """Your resident moves to the requested grid (audited; both sides see the decision)."""
    who = actor(request)
    return selectors.move_card(services.move_decide(actor=who, move_id=pk, accept=True, note=payload.note), actor=who)


@router.post("/moves/{int:pk}/reject", response=MoveOut)
def reject_move(request, pk: Id, payload: MoveDecisionIn):
    """Refuse a move-in for your resident."""
    who = actor(request)
    return selectors.move_card(services.move_decide(actor=who, move_id=pk, accept=False, note=payload.note), actor=who)
