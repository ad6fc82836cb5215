import datetime as dt

from django.http import Http404
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core.apikit import Day, Id, actor, idempotent
from cordon.core.pagination import Pagination
from cordon.regions import selectors as region_selectors
from cordon.surveillance import selectors, services

router = Router(tags=["surveillance"])


class ObservationIn(Schema):
    date: Day
    region_code: str = Field(max_length=40)
    stream: str = Field(max_length=20)
    count: float = Field(ge=0, le=1e9)
    denominator: float | None = Field(None, gt=0, le=1e12)
    source: str = Field("", max_length=60)


class ObservationBatch(Schema):
    items: list[ObservationIn]


class ObservationOut(Schema):
    date: dt.date
    region_path: str
    stream: str
    count: float
    denominator: float | None


class SignalOut(Schema):
    id: int
    date: dt.date
    region_path: str
    stream: str
    method: str
    observed: float
    upperbound: float
    status: str
    note: str
    task_id: Id | None


class SurveillanceStoredOut(Schema):
    rows: int
    created: int
    updated: int
    replayed: bool = False


class SurveillanceForecastDayOut(Schema):
    date: dt.date
    median: float
    lower: float
    upper: float
    cumulative: float | None = None
    population: int | None = None
    contacts: float
    rooms: float
    tests: float


class SurveillanceForecastOut(Schema):
    region_path: str
    made_on: dt.date
    r_mean: float
    contacts_per_case: float
    days: list[SurveillanceForecastDayOut]


class TriageIn(Schema):
    action: str = Field(max_length=20)
    note: str = Field("", max_length=2000)


class RtOut(Schema):
    """mean, std, median and the interval are null where the window's cases cannot carry an estimate
    (posterior CV at or above the rule set's surveillance.rt_max_cv): "not enough cases"."""

    region_path: str
    date_end: dt.date
    window: int
    estimable: bool
    mean: float | None
    std: float | None
    q025: float | None
    median: float | None
    q975: float | None
    above_one: bool
    cases: int


@router.get("/observations", response=list[ObservationOut])
@paginate(Pagination)
def list_observations(request, stream: str | None = None, region: str | None = None, since: Day | None = None):
    """Daily stream counts in your area."""
    return selectors.observation_list(actor=actor(request), filters={"stream": stream, "region": region, "since": since})


@router.post("/observations/bulk", response={201: SurveillanceStoredOut})
def bulk_observations(request, payload: ObservationBatch):
    """Upsert daily counts; send an Idempotency-Key header so retries are harmless."""
    items = [i.model_dump() for i in payload.items]
    return idempotent(request, scope="surveillance.observations", payload=items,
                      fn=lambda: (201, services.observations_store(actor=actor(request), items=items)))


@router.post("/observations/import", response=SurveillanceStoredOut)
def import_observations(request, file: File[UploadedFile]):
    """CSV/Excel import (date, region_code, stream, count, denominator); all rows or none."""
    return services.observations_import(actor=actor(request), data=file.read(), filename=file.name)


@router.get("/signals", response=list[SignalOut])
@paginate(Pagination)
def list_signals(request, status: str | None = None):
    """Early-warning signals in your area."""
    return selectors.signal_list(actor=actor(request), filters={"status": status})


@router.post("/signals/{int:pk}/triage", response=SignalOut)
def triage_signal(request, pk: Id, payload: TriageIn):
    """Make a verification task from a signal (action=task) or dismiss it with a note."""
    who = actor(request)
    signal = selectors.signal_get(actor=who, pk=pk, action="change")
    return services.signal_triage(actor=who, signal=signal, action=payload.action, note=payload.note)


@router.get("/rt", response=list[RtOut])
def rt(request, region: str):
    """Rt estimates (Cori, weekly windows) for one region path (404 outside your area)."""
    who = actor(request)
    if not region_selectors.region_list(actor=who).filter(path=region).exists():
        raise Http404("region")
    return selectors.rt_series_shown(actor=who, region_path=region)


@router.get("/forecasts", response=list[SurveillanceForecastOut])
def forecasts(request, region: str | None = None):
    """Latest 14-day projections per district: cases, contacts, rooms, tests."""
    return [{"region_path": f.region_path, "made_on": f.made_on, "r_mean": f.r_mean, "contacts_per_case": f.contacts_per_case,
             "days": f.days} for f in selectors.forecast_latest(actor=actor(request), region_path=region)[:50]]


class SurveillanceBacktestOut(Schema):
    run_at: dt.datetime
    source: str
    people: int
    days: int
    horizon: int
    forecasts: int
    mae: float
    relative_error: float
    coverage: float
    bounded: bool


class SurveillanceBacktestLatestOut(Schema):
    """`backtest` is null until one is stored; `how` says how to run and store one."""

    backtest: SurveillanceBacktestOut | None
    how: str


@router.get("/forecasts/backtest", response=SurveillanceBacktestLatestOut)
def forecast_backtest(request):
    """The latest stored backtest of the forecast on a simulated outbreak: error (MAE, relative) and 95% band coverage."""
    return {"backtest": selectors.forecast_backtest_latest(actor=actor(request)), "how": selectors.BACKTEST_HOW}
