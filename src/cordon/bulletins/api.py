"""Bulletins API: draft from the metrics at a cut-off, edit, approve, publish, withdraw, version history;
and the public list of published bulletins (no login)."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.bulletins import selectors, services
from cordon.core.apikit import Id, actor
from cordon.core.pagination import MappedRows, Pagination

router = Router(tags=["bulletins"])



class DraftIn(Schema):
    region_path: str = Field("", max_length=100)
    cut_off: dt.datetime | None = None
    title: str = Field("", max_length=200)
    body: str = Field("", max_length=20_000)


class EditIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=20_000)


class WithdrawIn(Schema):
    reason: str = Field(max_length=500)


class BulletinOut(Schema):
    id: int
    region_path: str
    cut_off: dt.datetime
    title: str
    body: str
    display_title: str
    figures: dict[str, int | float | None]
    status: str
    version: int
    published_at: dt.datetime | None
    published_text: str


class BulletinVersionOut(Schema):
    version: int
    title: str
    body: str
    status: str
    note: str
    at: dt.datetime


class BulletinDetailOut(BulletinOut):
    versions: list[BulletinVersionOut]


class BulletinPublicOut(Schema):
    id: int
    title: str
    text: str
    published_at: dt.datetime | None
    cut_off: dt.datetime


def _out(b) -> dict:
    return {"id": b.pk, "region_path": b.region_path, "cut_off": b.cut_off, "title": b.title, "body": b.body,
            "display_title": services.rendered(b)[0], "figures": b.figures,
            "status": b.status, "version": b.version, "published_at": b.published_at, "published_text": b.published_text}


@router.get("/", response=list[BulletinOut])
@paginate(Pagination)
def list_bulletins(request, status: str | None = None):
    """Bulletins in your jurisdiction (all states)."""
    return MappedRows(selectors.bulletin_list(actor=actor(request), filters={"status": status}), _out)


@router.post("/", response={201: BulletinOut})
def draft(request, payload: DraftIn):
    """Draft a bulletin from the metrics at a cut-off (default: midnight today, covering yesterday)."""
    return Status(201, _out(services.bulletin_draft(actor=actor(request), **payload.dict())))


@router.get("/public", auth=None, response=list[BulletinPublicOut])
def public_list(request):
    """Published bulletins (public, no login)."""
    return [{"id": b.pk, "title": b.public_title, "text": b.published_text, "published_at": b.published_at,
             "cut_off": b.cut_off} for b in selectors.published(limit=50)]


@router.get("/{int:pk}", response=BulletinDetailOut)
def get_bulletin(request, pk: Id):
    """One bulletin with its version history."""
    b = selectors.bulletin_get(actor=actor(request), pk=pk)
    return {**_out(b), "versions": list(b.versions.values("version", "title", "body", "status", "note", "at"))}


@router.post("/{int:pk}/edit", response=BulletinOut)
def edit(request, pk: Id, payload: EditIn):
    """Edit the text (new version; back to draft)."""
    who = actor(request)
    return _out(services.bulletin_edit(actor=who, bulletin=selectors.bulletin_get(actor=who, pk=pk, action="change"), **payload.dict()))


@router.post("/{int:pk}/approve", response=BulletinOut)
def approve(request, pk: Id):
    """Approve a draft."""
    who = actor(request)
    return _out(services.bulletin_approve(actor=who, bulletin=selectors.bulletin_get(actor=who, pk=pk, action="approve")))


@router.post("/{int:pk}/publish", response=BulletinOut)
def publish(request, pk: Id):
    """Publish an approved bulletin to the public portal."""
    who = actor(request)
    return _out(services.bulletin_publish(actor=who, bulletin=selectors.bulletin_get(actor=who, pk=pk, action="publish")))


@router.post("/{int:pk}/withdraw", response=BulletinOut)
def withdraw(request, pk: Id, payload: WithdrawIn):
    """Withdraw a published bulletin."""
    who = actor(request)
    return _out(services.bulletin_withdraw(actor=who, bulletin=selectors.bulletin_get(actor=who, pk=pk, action="publish"),
                                           reason=payload.reason))
