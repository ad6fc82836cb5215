from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.api.base import actor
from cordon.api.pagination import Pagination
from cordon.core import exports
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
    household_id: int | None
    address: str
    grid_path: str
    vulnerable: list[str]
    masked: bool


@router.get("/", response=list[PersonOut])
@paginate(Pagination)
def list_people(request, grid: str | None = None, q: str | None = None, vulnerable: str | None = None):
    """Residents in your jurisdiction, masked."""
    who = actor(request)
    qs = selectors.person_list(actor=who, grid_path=grid, q=q, vulnerable=vulnerable).select_related("household")
    return _Cards(qs, who)


class _Cards:
    """Lazily turns a sliced queryset into masked cards for pagination."""

    def __init__(self, qs, who):
        self.qs, self.who = qs, who

    def __getitem__(self, s):
        return [selectors.person_card(p, actor=self.who) for p in self.qs[s]]

    def count(self):
        return self.qs.count()


@router.get("/{int:pk}", response=PersonOut)
def get_person(request, pk: int, unmask: bool = False):
    """One resident; `unmask=true` needs the unmask permission and is audited."""
    who = actor(request)
    return selectors.person_card(selectors.person_get(actor=who, pk=pk), actor=who, unmask=unmask)


@router.post("/import")
def import_people(request, file: File[UploadedFile]):
    """Atomic CSV/XLSX import: every error listed by row and field, nothing written when any row is bad."""
    return services.people_import(actor=actor(request), data=file.read(), filename=file.name)


@router.get("/export")
def export_people(request, grid: str | None = None, vulnerable: str | None = None, unmask: bool = False, format: str = "xlsx"):
    """Excel (or `format=csv`) export, masked unless `unmask=true` and permitted; audited."""
    return exports.http_response(services.people_export(actor=actor(request), unmask=unmask, fmt=format, grid_path=grid,
                                                        vulnerable=vulnerable))
