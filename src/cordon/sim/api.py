"""Drills API: the HQ starts a twin run, follows its progress, reads its KPIs next to the real city's, cancels it.

Runs are city-wide analytics on a synthetic city (permission `sim.drill`: the city commander); `run_id` names a
drill, as on the web page /sim/drills/<run_id>/."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core.apikit import actor
from cordon.core.pagination import Pagination
from cordon.sim import drills, scenarios, selectors
from cordon.sim.kpis import KPI_LABELS

router = Router(tags=["sim"])

class SimDrillIn(Schema):
    scenario: str = Field(description="A scenario code (GET /sim/scenarios)")
    people: int = Field(description="City size: one of the offered sizes")
    days: int = Field(ge=1, le=scenarios.MAX_DAYS)
    seed: int = Field(1, ge=1, le=1_000_000)
    response: bool = Field(True, description="False: the same outbreak with fever clinics only")


class SimProgressOut(Schema):
    day: int = Field(description="Simulated days done")
    days: int
    percent: int
    infections: int | None = Field(None, description="Infections so far (ground truth of the simulation)")
    cases: int | None = Field(None, description="Cases the platform confirmed so far")
    elapsed_seconds: float


class SimKpiOut(Schema):
    key: str
    label: str
    drill: float | int | str | dict | None
    real_city: float | int | str | dict | None = Field(description="The same KPI on the live city's records; null where none")


class SimDrillSummaryOut(Schema):
    run_id: str
    scenario: str
    people: int
    days: int
    seed: int
    response: bool
    status: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class SimDrillOut(SimDrillSummaryOut):
    error: str
    progress: SimProgressOut
    kpis: list[SimKpiOut] = Field(description="When done: every KPI the run measured, next to the real city's")


class SimScenarioOut(Schema):
    code: str
    label: str
    description: str
    options: dict[str, str | int | float]


class SimScenariosOut(Schema):
    scenarios: list[SimScenarioOut]
    sizes: list[int]
    max_days: int


class SimMeasuredOut(Schema):
    run_id: str
    label: str
    people: int
    days: int
    seeds: int = Field(description="Seeds run, each with and without the response")
    infections: float | int | None = Field(description="Infections with the response (mean over seeds)")
    infections_no_response: float | int | None = Field(description="Infections without it, same seeds (mean)")
    averted: float | int = Field(description="Infections averted (mean over seeds)")
    averted_spread: dict = Field(description="mean, sd, min, max and values over the seeds")
    tracing_recall: float | None
    weakest_setting: str = Field(description="The setting with the lowest recall of true contacts (code)")
    bottleneck: str = Field(description="The resource that limited confirmation -> placement (code)")
    targets: list[dict] = Field(description="Each target: value, goal, met, the resource and what would close it")


def _out(who, drill) -> dict:
    run = selectors.drill_result(drill)
    kpis = []
    if run is not None:
        live = selectors.live_kpis(actor=who)
        kpis = [{"key": key, "label": _(label), "drill": run.kpis[key], "real_city": live.get(key)}
                for key, label in KPI_LABELS if key in run.kpis]
    return {"run_id": drill.run_id, "scenario": drill.scenario, "people": drill.people, "days": drill.days,
            "seed": drill.seed, "response": drill.response, "status": drill.status, "created_at": drill.created_at,
            "started_at": drill.started_at, "finished_at": drill.finished_at, "error": drill.error,
            "progress": selectors.drill_progress(drill), "kpis": kpis}


@router.get("/scenarios", response=SimScenariosOut)
def scenario_list(request):
    """The drills' scenarios, city sizes and longest run."""
    selectors.drill_list(actor=actor(request))  # the permission check
    return {"scenarios": [{"code": s.code, "label": str(s.label), "description": str(s.description), "options": s.options}
                          for s in scenarios.SCENARIOS], "sizes": scenarios.SIZES, "max_days": scenarios.MAX_DAYS}


@router.get("/measured", response=list[SimMeasuredOut])
def measured_list(request):
    """Runs that measured the response (the shipped measured scenarios and `cordon sim run --seeds` runs), newest
    first: infections averted with their spread, the weakest setting of contact tracing, the bottleneck, the targets.
    The full report of one: /sim/runs/<run_id>/ (web)."""
    return [{"run_id": m["run"].run_id, "label": m["run"].label, "people": m["run"].people, "days": m["run"].days,
             "seeds": m["seeds"], "infections": m["infections"], "infections_no_response": m["infections_no_response"],
             "averted": m["averted"], "averted_spread": m["spread"], "tracing_recall": m["recall"],
             "weakest_setting": m["weakest"], "bottleneck": m["bottleneck"],
             "targets": (m["run"].kpis.get("gaps") or {}).get("targets", [])}
            for m in selectors.measured_runs(actor=actor(request))]


@router.get("/runs", response=list[SimDrillSummaryOut])
@paginate(Pagination)
def drill_list(request):
    """Drills, newest first (progress and KPIs: the single-drill operation)."""
    return selectors.drill_list(actor=actor(request))


@router.post("/runs", response={201: SimDrillOut})
def drill_start(request, payload: SimDrillIn):
    """Start a drill: a twin run in the background on the simulation's own database (one at a time)."""
    who = actor(request)
    drill = drills.drill_start(actor=who, **payload.model_dump())
    return Status(201, _out(who, drill))


@router.get("/runs/{run_id}", response=SimDrillOut)
def drill_get(request, run_id: str):
    """A drill's progress (day n of N, infections, cases, elapsed) and, when done, its KPIs next to the real city's."""
    who = actor(request)
    return _out(who, selectors.drill_get(actor=who, run_id=run_id))


@router.post("/runs/{run_id}/cancel", response=SimDrillOut)
def drill_cancel(request, run_id: str):
    """Cancel a queued or running drill."""
    who = actor(request)
    drill = drills.drill_cancel(actor=who, drill=selectors.drill_get(actor=who, run_id=run_id))
    return _out(who, drill)
