"""Workforce API: the reserve roster, missions with their need, deployments, reserve levels."""

import datetime as dt
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core import access
from cordon.core.apikit import Id, actor
from cordon.core.pagination import MappedRows, Pagination
from cordon.workforce import selectors, services

router = Router(tags=["workforce"])

# A date-time the API takes: this century, so no time-zone arithmetic overflows.
When = Annotated[dt.datetime, Field(ge=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2100, 12, 31, tzinfo=dt.UTC))]
SkillName = Annotated[str, Field(max_length=10)]


class WorkerIn(Schema):
    name: str = Field(max_length=50)
    home_district_id: Id
    skills: list[SkillName] = Field(max_length=20)
    phone: str = Field("", max_length=20)
    certificates: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=50)
    closed_loop: bool = False
    dormitory: str = Field("", max_length=100)
    test_every_days: int | None = Field(None, ge=1, le=365)


class WorkerOut(Schema):
    id: int
    name: str
    phone: str
    skills: list[str]
    certificates: list[str]
    home_district: str
    region_path: str
    available: bool
    closed_loop: bool
    dormitory: str
    last_test: dt.date | None
    next_test: dt.date | None
    test_overdue: bool


class MissionIn(Schema):
    kind: str = Field(max_length=10)
    name: str = Field(max_length=120)
    region_id: Id
    starts_at: When
    ends_at: When
    needs: dict[SkillName, Annotated[int, Field(ge=0, le=100_000)]] = {}
    source: str = Field("", max_length=80)


class FillOut(Schema):
    skill: str
    need: int
    have: int
    short: int


class MissionOut(Schema):
    id: int
    kind: str
    name: str
    region_path: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    needs: dict[str, int]
    fill: list[FillOut]


class DeployIn(Schema):
    worker_id: Id
    skill: SkillName
    starts_at: When | None = None
    ends_at: When | None = None


class DeploymentOut(Schema):
    id: int
    worker_id: Id
    mission_id: Id
    skill: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool


def _mission(m) -> dict:
    return {"id": m.pk, "kind": m.kind, "name": m.name, "region_path": m.region_path, "starts_at": m.starts_at, "ends_at": m.ends_at,
            "needs": m.needs, "fill": selectors.mission_fill(mission=m)}


@router.get("/workers", response=list[WorkerOut])
@paginate(Pagination)
def list_workers(request, skill: str | None = Query(None, max_length=10), available: bool | None = None):
    """People in the reserve (masked)."""
    return MappedRows(selectors.worker_list(actor=actor(request), filters={"skill": skill, "available": available}), selectors.worker_card)


@router.post("/workers", response={201: WorkerOut})
def create_worker(request, payload: WorkerIn):
    """Add a person to the reserve (403 without the permission anywhere, 404 for a district outside your area)."""
    who = actor(request)
    access.require(who, "workforce.change")
    return Status(201, selectors.worker_card(services.worker_create(actor=who, **payload.dict())))


class AvailabilityIn(Schema):
    available: bool


@router.post("/workers/{int:pk}/availability", response=WorkerOut)
def set_availability(request, pk: Id, payload: AvailabilityIn):
    """Mark a person available or not."""
    who = actor(request)
    w = selectors.worker_get(actor=who, pk=pk, action="change")
    return selectors.worker_card(services.worker_availability(actor=who, worker=w, available=payload.available))


@router.get("/missions", response=list[MissionOut])
@paginate(Pagination)
def list_missions(request, kind: str | None = Query(None, max_length=10), current: bool = False):
    """Missions with their staffing need and fill."""
    return MappedRows(selectors.mission_list(actor=actor(request), filters={"kind": kind, "current": current}), _mission)


@router.post("/missions", response={201: MissionOut})
def create_mission(request, payload: MissionIn):
    """Open a mission (a round's sampler need is computed from the population)."""
    who = actor(request)
    access.require(who, "workforce.change")
    return Status(201, _mission(services.mission_create(actor=who, **payload.dict())))


@router.get("/missions/{int:pk}", response=MissionOut)
def get_mission(request, pk: Id):
    """One mission and how full it is."""
    return _mission(selectors.mission_get(actor=actor(request), pk=pk))


@router.post("/missions/{int:pk}/deployments", response={201: DeploymentOut})
def deploy(request, pk: Id, payload: DeployIn):
    """Book a person for a shift (double-booking refused with 409)."""
    who = actor(request)
    m = selectors.mission_get(actor=who, pk=pk, action="change")
    return Status(201, services.deploy(actor=who, mission=m, **payload.dict()))


@router.post("/missions/{int:pk}/fill", response=MissionOut)
def fill(request, pk: Id):
    """Fill the mission's shortfall from free people with the skill."""
    who = actor(request)
    m = selectors.mission_get(actor=who, pk=pk, action="change")
    services.deploy_fill(actor=who, mission=m)
    return _mission(m)


@router.post("/deployments/{int:pk}/cancel", response=DeploymentOut)
def cancel(request, pk: Id):
    """Release a person from a shift."""
    who = actor(request)
    d = selectors.deployment_get(actor=who, pk=pk, action="change")
    return services.deployment_cancel(actor=who, deployment=d)


class WorkforceReserveOut(Schema):
    skill: str
    label: str
    total: int
    available: int
    deployed: int
    need: int
    short: int


@router.get("/reserve", response=list[WorkforceReserveOut])
def reserve(request):
    """Reserve level per skill against need."""
    return selectors.reserve_levels(actor=actor(request))
