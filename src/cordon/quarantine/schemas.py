"""The quarantine API's schemas: what each operation takes (bounded as the columns hold it) and answers."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from cordon.command.api_duty import CommandResponsibleOut
from cordon.core.apikit import Day, Id, NextStatuses

# Texts as the columns hold them; a longer one is refused at the schema, never cut or passed to the database.
Short = Annotated[str, Field(max_length=30)]
Code = Annotated[str, Field(max_length=20)]
Path = Annotated[str, Field(max_length=255)]
# A date-time the API takes: this century, so no window or deadline arithmetic overflows.
When = Annotated[dt.datetime, Field(ge=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2100, 12, 31, tzinfo=dt.UTC))]
# The answer of a download: the file, as Excel or CSV.
DOWNLOAD = {"responses": {200: {"description": "The file (Excel, or CSV with `format=csv`)", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}}}}}}


class QuarantinePersonOut(Schema):
    id: int
    name: str
    id_number: str
    age: int
    grid_path: str
    vulnerable: list[str]


class QuarantineSiteOut(Schema):
    responsible: CommandResponsibleOut | None = None  # detail only: who answers for it now (duty roster)
    id: int
    name: str
    address: str
    region_path: str
    kind: str
    status: str
    next_statuses: NextStatuses
    lends_rooms: bool
    lon: float | None
    lat: float | None
    readiness: dict[str, bool]
    ready: bool
    doctors_on_duty: int
    nurses_on_duty: int
    rooms_total: int | None
    rooms_free: int | None
    rooms_occupied: int | None


class QuarantineRoomOut(Schema):
    id: int
    site_id: int
    number: str
    floor: int
    position: int
    kind: str
    own_bathroom: bool
    accessible: bool
    status: str


class QuarantineRoomsAddedOut(Schema):
    created: int
    replayed: bool = False


class QuarantineRequestOut(Schema):
    id: int
    person: QuarantinePersonOut
    category: str
    start: dt.date
    end: dt.date
    source: str
    status: str
    next_statuses: list[str] = Field(description="the statuses it may move to next (its lifecycle); empty when final")
    household_id: int | None
    created_at: dt.datetime


class QuarantineCancelledOut(Schema):
    cancelled: int


class QuarantineProposalOut(Schema):
    id: int
    region_path: str
    status: str
    created_at: dt.datetime
    cost: int
    optimum: int
    unplaced: int
    seconds: float
    lines: int | None
    open_lines: int | None


class QuarantineLineOut(Schema):
    id: int
    proposal_id: int
    request_id: int
    person: QuarantinePersonOut
    site_id: int
    site: str
    room_id: int
    room: str
    floor: int
    carer_of: int | None
    lent: bool
    cost: int
    confirmed_at: dt.datetime | None


class QuarantineConfirmedOut(Schema):
    confirmed: int
    stays: list[int]
    replayed: bool = False


class QuarantineStayOut(Schema):
    id: int
    person: QuarantinePersonOut
    kind: str
    status: str
    next_statuses: list[str] = Field(description="the statuses it may move to next (its lifecycle); empty when final")
    category: str
    site_id: int | None
    site: str | None
    room: str | None
    start: dt.date
    planned_end: dt.date
    checked_in_at: dt.datetime | None
    released_at: dt.datetime | None
    last_monitored_at: dt.datetime | None
    community_worker: str | None


class QuarantineStayTestOut(Schema):
    id: int
    day: int
    due: dt.date
    result: str


class QuarantineStayReadingOut(Schema):
    at: dt.datetime
    temperature: float
    symptoms: list[str]
    fever: bool
    by_self: bool


class QuarantineStayDetailOut(QuarantineStayOut):
    tests: list[QuarantineStayTestOut]
    readings: list[QuarantineStayReadingOut]


class QuarantineReadingOut(Schema):
    id: int
    fever: bool
    temperature: float


class QuarantineTestOut(Schema):
    id: int
    stay_id: int
    person: QuarantinePersonOut
    day: int
    due: dt.date
    site: str | None
    room: str | None
    result: str
    sampled_at: dt.datetime | None


class QuarantineResultOut(Schema):
    id: int
    result: str
    early: bool


class QuarantineResultsOut(Schema):
    recorded: int
    early: int
    replayed: bool = False


class QuarantineTransferOut(Schema):
    id: int
    stay_id: int
    direction: str
    status: str
    next_statuses: list[str] = Field(description="the statuses it may move to next (its lifecycle); empty when final")
    pickup_address: str
    destination: str
    vehicle: str
    escort: str
    window_start: dt.datetime
    window_end: dt.datetime
    dispatched_at: dt.datetime | None
    picked_up_at: dt.datetime | None
    arrived_at: dt.datetime | None


class QuarantineReserveOut(Schema):
    path: str
    name: str
    population: int
    target: int
    sites: int
    rooms: int
    free: int
    gap: int
    per_10k: float


class QuarantineSiteOccupancyOut(Schema):
    id: int
    name: str
    status: str
    rooms: int
    occupied: int
    free: int
    rate: int


class QuarantineDistrictOccupancyOut(Schema):
    path: str
    name: str
    rooms: int
    occupied: int
    free: int
    rate: int


class QuarantineOccupancyOut(Schema):
    sites: list[QuarantineSiteOccupancyOut]
    districts: list[QuarantineDistrictOccupancyOut]


class QuarantineForecastOut(Schema):
    path: str
    name: str
    history: list[int]
    arrivals: list[float]
    needed: list[int]
    peak: int
    queued: int
    new_rooms: int
    free: int
    basis: str
    eligible: int | None
    warning: bool


class QuarantineFlowOut(Schema):
    day: dt.date
    arrivals: int
    releases: int


class QuarantineSiteIn(Schema):
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    region_id: Id
    lends_rooms: bool = False
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    kind: Code = "hotel"


class QuarantineSiteChangeIn(Schema):
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    lends_rooms: bool | None = None
    doctors_on_duty: int | None = Field(None, ge=0, le=32767)
    nurses_on_duty: int | None = Field(None, ge=0, le=32767)
    staff_note: str | None = Field(None, max_length=300)


class QuarantineStatusIn(Schema):
    status: Code


class QuarantineRoomIn(Schema):
    number: str = Field(max_length=12)
    floor: int | None = Field(None, ge=-99, le=999)
    position: int | None = Field(None, ge=0, le=99999)
    kind: Code = "single"
    own_bathroom: bool = True
    accessible: bool = False


class QuarantineEnqueueIn(Schema):
    person_id: Id
    category: Short
    start: Day
    end: Day
    source: str = Field(max_length=120)
    household_id: Id | None = None


class QuarantineCancelIn(Schema):
    source: str = Field(max_length=120)


class QuarantineBuildIn(Schema):
    district_path: Path


class QuarantineConfirmIn(Schema):
    line_ids: list[Id] = Field(min_length=1, max_length=10_000)


class QuarantineReadingIn(Schema):
    temperature: float = Field(ge=34, le=43)
    symptoms: list[Short] = Field([], max_length=20)
    at: When | None = None


class QuarantineHomeStayIn(Schema):
    person_id: Id
    kind: Code
    start: Day
    end: Day
    community_worker_id: Id
    category: Short = ""
    request_id: Id | None = None


class QuarantineReleaseIn(Schema):
    vehicle: str = Field("", max_length=30)
    escort: str = Field("", max_length=60)


class QuarantineResultIn(Schema):
    result: Code
    sampled_at: When | None = None


class QuarantineResultRowIn(Schema):
    test_id: Id
    result: Code
    sampled_at: When | None = None


class QuarantineTransferCancelIn(Schema):
    reason: str = Field(max_length=200, description="why the transfer is cancelled (required; recorded in the audit trail)")


class QuarantineTransferIn(Schema):
    vehicle: str | None = Field(None, max_length=30)
    escort: str | None = Field(None, max_length=60)
    window_start: When | None = None
    window_end: When | None = None
