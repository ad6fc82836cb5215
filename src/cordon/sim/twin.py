"""The outbreak digital twin: the SEIR engine (cordon.sim.epidemic) over the synthetic city in the
database, with detection, tracing, placement and release going through the platform's own services.

Calendar: simulation day 0 is the city's check-in window day `start_day` (the window holds 14 days of
generated check-ins). Day d uses the generated check-ins of window day (start_day + d) mod 14, i.e. the
same weekday; inside the window they are in the database already (check-ins of people kept off the
street that day are deleted), beyond it the source day's rows are copied into the database shifted by
whole weeks (INSERT ... SELECT, people off the street left out), so contact identification
(contacts_identify) reads the same check-ins the engine used for transmission.

One day:
- 00:00 who is off the street (health colour red or yellow, an active quarantine stay, a case) and who
  is away from home (in a site, or a case in hospital) is read from the platform's records; the day's
  check-ins are mirrored; the engine runs the day's transmission;
- 00:30 contacts.measures_advance (phases, releases);
- 02:00, 08:00, 14:00, 20:00 (every `placement_every_hours` from 02:00) placement: stays confirmed at the previous tick arrive (stays_check_in_many),
  then for each district with a queue quarantine.proposal_build + proposal_confirm of all its lines;
- 09:00 swabs of the day's scheduled quarantine tests, 15:00 their results (quarantine.test_results_import;
  a positive reports the case through the quarantine service);
- 10:00 stays past their planned end are released (quarantine.stays_release_many; refused ones wait);
- fever clinics all day: a symptomatic agent's visit is a swab; a positive is reported 6 h later
  (cases.case_report, found_by fever_clinic);
- mass screening (every `screening_every` days once a case is known): 07:00 screening.round_plan +
  round_publish over the city, 19:00 samples_register of everyone taking part (pooled by site and
  household, `pool` per tube) and round_close, 20:00 tubes_receive, 02:00 results_apply; held pool
  members are retested single-tube at 08:00 (retest_register) with results at 14:00 (results_apply,
  which reports positives as cases);
- 08:00, 12:00, 17:00 gates and checkpoints (cordon.sim.passages): residents, some of them red/yellow or in a
  zone, try to leave their compound (community.passage_record) or the city through their district's checkpoint
  (checkpoints.inspection_record, direction out); a share of the refused emergencies get an officer's override;
- 23:00 surveillance.rt_refresh (Rt per district and the forecasts) for the day;
- every new case: contacts_identify runs on its confirmation (the platform's own signal), a tracer
  confirms the proposals `tracer_hours` later (contacts.risk_decide), which plans measures and queues
  centralized placement; a case found in a site goes to hospital (stay_to_hospital).
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Min
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from tqdm import tqdm

from cordon.accounts.models import Post
from cordon.cases import services as cases
from cordon.cases.models import Case
from cordon.contacts import services as contacts
from cordon.contacts.models import RiskPerson
from cordon.core import access, clock, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.quarantine import services as quarantine
from cordon.quarantine.models import PlacementRequest, ProposalLine, ScheduledTest, Stay
from cordon.regions.models import Level, Region
from cordon.sim import clock as simclock
from cordon.sim import epidemic, invariants, kpis, pagecache, passages, watermarks
from cordon.sim.citygen.params import KINDS
from cordon.sim.rounds import MassScreening
from cordon.status.models import HealthStatus
from cordon.venues.models import CheckIn, Venue, VenueUnit

SYSTEM = access.system("sim")  # this module's work that no user clicked

DAY = 86_400


@dataclass
class Config:
    people: int = 0                    # informational: the city's size
    days: int = 30
    seed: int = 1
    rules: str = ""                    # rule set to adopt from day 0 ("" keeps the one in force)
    pool: int = 10                     # screening pool size (tubes of N swabs)
    asymptomatic: float = 0.4
    index_cases: int = 10
    screening_every: int = 3           # days between city-wide rounds once a case is known; 0: no rounds
    screening_participation: float = 0.9
    screening_start: int = -1          # routine rounds from this day even before any case (-1: after the first case)
    tracer_hours: float = 2.0          # confirmation -> tracer confirms the proposed contacts
    clinic_result_hours: float = 6.0
    rooms_per_1000: float = 20.0       # quarantine rooms opened at the start, per 1,000 residents
    placement_every_hours: float = 6.0  # transport runs: placement ticks from 02:00 every N hours (a room assigned at
                                        # one tick is reached at the next); 6: 02:00, 08:00, 14:00, 20:00
    beta_home: float = 0.45
    beta_venue: float = 0.16
    start_day: int = 0                 # window day of the city's check-ins that is simulation day 0 (<0: from the end)
    progress: bool = True
    invariants: bool = False           # check cordon.sim.invariants every simulated hour
    passages: int = 200                # exits and checkpoint crossings tried per day (cordon.sim.passages); 0: none
    surveillance: bool = True          # surveillance.rt_refresh (Rt and forecasts) once per simulated day, 23:00
    response: bool = True              # False: cases are confirmed at clinics and treated, nothing else (no tracer
                                       # decisions, no screening rounds, no placement of contacts, no gate checks)
    progress_file: str = ""            # a JSON file rewritten after every simulated day (the HQ's drill page polls it)

    def __post_init__(self):
        if not self.response:  # the same outbreak (same seed) with nothing but clinics: what the response averts
            self.screening_every = 0
            self.screening_start = -1
            self.passages = 0

    def params(self) -> epidemic.Params:
        return epidemic.Params(beta_home=self.beta_home, beta_venue=self.beta_venue, asymptomatic=self.asymptomatic,
                               index_cases=self.index_cases)

    def label(self) -> str:
        if not self.response:
            return "no response"
        return f"{self.rules or 'in force'} pool {self.pool}"


@dataclass
class Outcome:
    config: dict
    kpis: dict
    series: dict
    seconds: float
    truth: dict = field(default_factory=dict)
    timing: dict = field(default_factory=dict)   # seconds spent per kind of event (service calls)
    invariants: dict = field(default_factory=dict)  # cordon.sim.invariants.Tally.summary() with --invariants


class _Stop(Exception):
    pass


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def run(config: Config, *, keep: bool = False, actor=None, say=print) -> Outcome:
    """Run a simulation; roll everything back unless `keep` (the demo keeps its outbreak)."""
    t0 = time.perf_counter()
    result: dict = {}
    quiet = logging.getLogger("django.tasks")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    with override_settings(TASKS=IMMEDIATE_TASKS):
        try:
            with transaction.atomic():
                twin = Twin(config, actor=actor, say=say)
                twin.simulate()
                result["kpis"], result["series"] = twin.measure()
                result["truth"] = twin.truth_summary()
                result["timing"] = {k: round(v, 1) for k, v in sorted(twin.timing.items(), key=lambda kv: -kv[1])}
                result["invariants"] = twin.tally.summary() if twin.tally is not None else {}
                simclock.settle()
                if not keep:
                    raise _Stop
        except _Stop:
            pass
    quiet.setLevel(level)
    policy.clear_cache()
    return Outcome(config=asdict(config), kpis=result["kpis"], series=result["series"],
                   seconds=time.perf_counter() - t0, truth=result["truth"], timing=result["timing"],
                   invariants=result["invariants"])


class Twin(MassScreening):
    """One simulation run over the city in the database (mass screening rounds: cordon.sim.rounds)."""

    def __init__(self, config: Config, *, actor=None, say=print):
        self.cfg = config
        self.say = say
        self.started = time.perf_counter()
        self.root = Region.objects.filter(parent__isnull=True).order_by("id").first()
        if self.root is None:
            raise ValueError(_("no city in this database: cordon city generate --people N"))
        self.districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path"))
        rows = list(Person.objects.order_by("pk").values_list("pk", "household_id", "region_path", "token"))
        self.pids = np.array([r[0] for r in rows], dtype=np.int64)
        household = np.array([r[1] or -1 for r in rows], dtype=np.int64)
        self.grid_path = [r[2] for r in rows]
        self.token = [r[3] for r in rows]
        self.idx_of = {pid: i for i, pid in enumerate(self.pids.tolist())}
        venues = list(Venue.objects.order_by("pk").values_list("pk", "kind"))
        self.vids = np.array([v[0] for v in venues], dtype=np.int64)
        kind_ix = {k: i for i, k in enumerate(KINDS)}
        venue_kind = np.array([kind_ix.get(v[1], 3) for v in venues], dtype=np.int64)
        self.table = CheckIn._meta.db_table
        self.columns = [f.column for f in CheckIn._meta.concrete_fields if not f.primary_key]
        # Mixing groups: a check-in that names a sub-venue unit (class, office room, workshop, seated zone)
        # mixes within that unit; one that does not mixes with the venue's other unplaced visitors.
        self.uids = np.zeros(0, dtype=np.int64)
        group_setting = epidemic.group_settings(venue_kind, KINDS)
        if "unit_id" in self.columns:
            units = list(VenueUnit.objects.order_by("pk").values_list("pk", "venue_id"))
            self.uids = np.array([u[0] for u in units], dtype=np.int64)
            unit_venue = np.searchsorted(self.vids, np.array([u[1] for u in units], dtype=np.int64))
            if len(units):
                group_setting = np.concatenate([group_setting, epidemic.group_settings(venue_kind[unit_venue], KINDS, unit=True)])
                venue_kind = np.concatenate([venue_kind, venue_kind[unit_venue]])
        self._window()
        if config.start_day < 0:  # counted from the end of the window: -1 - days ends the run yesterday
            self.cfg.start_day = max(0, self.window_days + config.start_day)
        self.engine = epidemic.Epidemic(household=household, venue_kind=venue_kind, kind_names=KINDS,
                                        params=config.params(), seed=config.seed, group_setting=group_setting,
                                        record_exposures=config.response)
        self.actor = actor or self._sim_actor()
        self.events: list = []
        self._seq = 0
        self.case_ids: set[int] = set()
        # Records made before the run (the demo's own cases) are not the run's: KPIs count what comes after.
        self.baseline = {"case": Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                         "risk": RiskPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                         "stay": Stay.objects.order_by("-pk").values_list("pk", flat=True).first() or 0}
        self.last_case_id = self.baseline["case"]
        self.first_case_day: int | None = None
        self.next_round_day: int | None = config.screening_start if config.screening_start >= 0 else None
        self.clinic_swabs = 0
        self.timing: dict[str, float] = {}
        self.tally = None
        if config.invariants:
            self.tally = invariants.Tally(using=watermarks.watches())
        self._next_check: dt.datetime | None = None
        self.passages = passages.Passages(self, per_day=config.passages)
        self.series = {"date": [], "infections": [], "infectious": [], "confirmed": [], "occupancy": [],
                       "off_street": [], "queued": []}

    # ------------------------------------------------------------------ set-up
    def _window(self) -> None:
        """The check-in window (local midnights) and every window day's check-ins as engine arrays."""
        agg = CheckIn.objects.aggregate(first=Min("time_in"), last=Max("time_in"))
        if agg["first"] is None:
            raise ValueError(_("the city has no check-ins"))
        first = clock.day_of(agg["first"])
        last = clock.day_of(agg["last"])
        self.window_days = (last - first).days + 1
        self.first_date = first
        self.t0 = clock.aware(dt.datetime.combine(first, dt.time()))
        start_epoch = int(self.t0.timestamp())
        unit = "COALESCE(unit_id, 0)" if "unit_id" in self.columns else "0"
        if connection.vendor == "postgresql":
            sql = (f"SELECT person_id, venue_id, extract(epoch from time_in)::bigint, extract(epoch from time_out)::bigint, "
                   f'{unit}, id FROM "{self.table}"')
        else:
            sql = (f"SELECT person_id, venue_id, CAST(strftime('%s', time_in) AS INTEGER), "
                   f"CAST(strftime('%s', time_out) AS INTEGER), {unit}, id FROM \"{self.table}\"")
        with connection.cursor() as cur:
            cur.execute(sql)
            data = np.array(cur.fetchall(), dtype=np.int64).reshape(-1, 6)
        person = np.searchsorted(self.pids, data[:, 0])
        venue = np.searchsorted(self.vids, data[:, 1])
        has_unit = data[:, 4] > 0
        venue[has_unit] = len(self.vids) + np.searchsorted(self.uids, data[has_unit, 4])
        day = (data[:, 2] - start_epoch) // DAY
        self.day_arrays = {}
        # The ids each window day's rows lie between: the copy of a day beyond the window reads that id range (the
        # primary key) instead of scanning the whole growing table for the day's time_in (no index leads with it).
        self.day_ids: dict[int, tuple[int, int]] = {}
        for d in range(self.window_days):
            m = day == d
            base = start_epoch + d * DAY
            self.day_arrays[d] = (person[m], venue[m], (data[m, 2] - base) / 60.0, (data[m, 3] - base) / 60.0)
            if m.any():
                self.day_ids[d] = (int(data[m, 5].min()), int(data[m, 5].max()))

    def _sim_actor(self):
        user, _ = get_user_model().objects.get_or_create(username="sim-commander", defaults={"first_name": "simulation"})
        Post.objects.get_or_create(user=user, role="city_commander", region=self.root, defaults={"title": "simulation"})
        return user

    def date(self, day: int) -> dt.date:
        return self.first_date + dt.timedelta(days=self.cfg.start_day + day)

    def at(self, day: int, hours: float) -> dt.datetime:
        return self.t0 + dt.timedelta(days=self.cfg.start_day + day, hours=hours)

    def t_days(self, when: dt.datetime) -> float:
        """Simulation time (days since day 0's midnight) of a datetime."""
        return (when - self.at(0, 0)).total_seconds() / DAY

    def push(self, when: dt.datetime, kind: str, payload=None) -> None:
        self._seq += 1
        heapq.heappush(self.events, (when, self._seq, kind, payload))

    def _setup(self) -> None:
        if self.cfg.rules:
            policy.ruleset_adopt(actor=self.actor, code=self.cfg.rules, effective_from=self.date(0) - dt.timedelta(days=30),
                                 note="simulation")
            simclock.settle()
        rooms = max(20, int(self.cfg.rooms_per_1000 * len(self.pids) / 1000))
        per_site = max(10, rooms // max(1, len(self.districts)))
        for n, d in enumerate(self.districts, 1):
            site = quarantine.site_create(actor=self.actor, name=f"{d.name} simulation site {n}", address=f"{d.name} site road {n}",
                                 region_id=d.pk)
            floors = max(1, -(-per_site // 40))
            quarantine.rooms_generate(actor=self.actor, site=site, floors=floors, per_floor=min(40, per_site))
            quarantine.site_readiness(actor=self.actor, site=site, items={k: True for k in site.readiness})
            quarantine.site_set_status(actor=self.actor, site=site, status="open")
        if self.cfg.passages > 0:
            self.passages.setup()

    # ------------------------------------------------------------------ the loop
    def simulate(self) -> None:
        cfg = self.cfg
        with pagecache.sized_for(len(self.pids)), simclock.simulated_time(self.at(0, 0)) as self.clock:
            self._setup()
            self.engine.seed_index_cases(day=0, count=cfg.index_cases)
            self._push_clinic(np.flatnonzero(self.engine.inf_day == 0))
            bar = tqdm(range(cfg.days), desc="sim", unit="day", disable=not cfg.progress, leave=False)
            self._progress(0)
            for day in bar:
                self._day(day)
                bar.set_postfix(infected=int((self.engine.inf_day >= 0).sum()), cases=len(self.case_ids))
                self._progress(day + 1)
                if self.tally is not None:  # checking mode: a line per day, so a run stopped early still tells
                    steps = sorted(self.timing.items(), key=lambda kv: -kv[1])[:6]
                    self.say(f"day {day + 1}/{cfg.days}: {time.perf_counter() - self.started:.0f} s, "
                             f"{len(self.case_ids)} cases, {self.tally.checks} checks, violations "
                             f"{sum(self.tally.counts().values())}; seconds by step "
                             + ", ".join(f"{k} {v:.0f}" for k, v in steps))
            bar.close()
            self.clock.set(self.at(cfg.days, 0))
            self.end = self.clock.now()
            if self.tally is not None:
                self._check()

    def _progress(self, done: int) -> None:
        """Rewrite cfg.progress_file (when set): days done of the run's days, infections and cases so far."""
        if not self.cfg.progress_file:
            return
        data = {"day": done, "days": self.cfg.days, "infections": int((self.engine.inf_day >= 0).sum()),
                "cases": len(self.case_ids), "seconds": round(time.perf_counter() - self.started, 1)}
        path = Path(self.cfg.progress_file)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)  # atomic: the page never reads half a file

    def _day(self, day: int) -> None:
        self.clock.set(self.at(day, 0))
        started = time.perf_counter()
        off_street, away = self._masks()
        arrays = self._mirror_checkins(day, off_street)
        self.timing["masks+checkins"] = self.timing.get("masks+checkins", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        res = self.engine.step(day, arrays, off_street=off_street, away_from_home=away)
        self.timing["engine"] = self.timing.get("engine", 0.0) + time.perf_counter() - started
        self._push_clinic(res.infected)
        self.push(self.at(day, 0.5), "advance", day)
        for h in np.arange(2.0, 24.0, self.cfg.placement_every_hours).tolist():
            self.push(self.at(day, h), "placement", day)
        self.push(self.at(day, 9), "site_tests", day)
        self.push(self.at(day, 10), "release", day)
        self.passages.plan(day, away)
        if self.cfg.surveillance:
            self.push(self.at(day, 23), "surveillance", day)
        if self.next_round_day is not None and day >= self.next_round_day and self.cfg.screening_every:
            self.push(self.at(day, 7), "round", day)
            self.next_round_day = day + self.cfg.screening_every
        end = self.at(day + 1, 0)
        self._next_check = self.at(day, 0)
        while self.events and self.events[0][0] < end:
            when, _seq, kind, payload = heapq.heappop(self.events)
            self._check_until(when)
            self.clock.set(when)
            started = time.perf_counter()
            getattr(self, f"_on_{kind}")(payload)
            simclock.settle()
            self._new_cases(day)
            self.timing[kind] = self.timing.get(kind, 0.0) + time.perf_counter() - started
        self._check_until(self.at(day, 23))
        self.clock.set(self.at(day, 23.99))
        self._snapshot(day, len(res.infected), res.infectious, int(off_street.sum()))

    def _check_until(self, when: dt.datetime) -> None:
        """The invariants at every whole simulated hour up to `when` (with --invariants), before that instant's events."""
        if self.tally is None:
            return
        while self._next_check is not None and self._next_check <= when:
            self.clock.set(self._next_check)
            self._check()
            self._next_check += dt.timedelta(hours=1)

    def _check(self) -> None:
        started = time.perf_counter()
        fresh = self.tally.add(self.tally.watch.check(actor=SYSTEM, now=self.clock.now(), seconds=self.tally.seconds))
        for v in fresh[:10]:  # as they appear (the summary at the end lists a few per invariant)
            self.say(f"violation at {self.clock.now().isoformat()}: {v.invariant} {v.kind} {list(v.ids)}: {v.detail}")
        self.timing["invariants"] = self.timing.get("invariants", 0.0) + time.perf_counter() - started

    def _masks(self):
        off = np.zeros(len(self.pids), dtype=bool)
        away = np.zeros(len(self.pids), dtype=bool)

        def mark(arr, ids):
            ids = np.fromiter(ids, dtype=np.int64)
            if len(ids):
                arr[np.searchsorted(self.pids, ids)] = True

        mark(off, HealthStatus.objects.filter(colour__in=["red", "yellow"]).values_list("person_id", flat=True))
        mark(off, Stay.objects.filter(status__in=["expected", "in"]).values_list("person_id", flat=True))
        case_people = list(Case.objects.values_list("person_id", flat=True))
        mark(off, case_people)
        mark(away, case_people)
        mark(away, Stay.objects.filter(status="in", kind="centralized").values_list("person_id", flat=True))
        return off, away

    def _mirror_checkins(self, day: int, off_street: np.ndarray):
        """The day's check-ins in the database and for the engine, without the people kept off the street."""
        w = self.cfg.start_day + day
        src = w % self.window_days
        shift_days = w - src
        person, venue, t_in, t_out = self.day_arrays[src]
        keep = ~off_street[person]
        adapt = connection.ops.adapt_datetimefield_value
        lo, hi = self.at(day, 0), self.at(day + 1, 0)
        off_ids = [(int(p),) for p in self.pids[off_street]]
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS sim_off_street (person_id bigint PRIMARY KEY)")
            cur.execute("DELETE FROM sim_off_street")
            if off_ids:
                cur.executemany("INSERT INTO sim_off_street (person_id) VALUES (%s)", off_ids)
            if shift_days == 0:
                cur.execute(f'DELETE FROM "{self.table}" WHERE time_in >= %s AND time_in < %s '
                            f"AND person_id IN (SELECT person_id FROM sim_off_street)", [adapt(lo), adapt(hi)])
            else:
                src_lo, src_hi = self.t0 + dt.timedelta(days=src), self.t0 + dt.timedelta(days=src + 1)
                cols = ", ".join(f'"{c}"' for c in self.columns)
                if connection.vendor == "postgresql":
                    shift = {c: f"\"{c}\" + interval '{shift_days} days'" for c in ("time_in", "time_out")}
                else:
                    shift = {c: f"datetime(\"{c}\", '+{shift_days} days')" for c in ("time_in", "time_out")}
                select = ", ".join(shift.get(c, f'"{c}"') for c in self.columns)
                id_lo, id_hi = self.day_ids.get(src, (0, -1))
                cur.execute(f'INSERT INTO "{self.table}" ({cols}) SELECT {select} FROM "{self.table}" '
                            f"WHERE id >= %s AND id <= %s AND time_in >= %s AND time_in < %s "
                            f"AND person_id NOT IN (SELECT person_id FROM sim_off_street)",
                            [id_lo, id_hi, adapt(src_lo), adapt(src_hi)])
        return person[keep], venue[keep], t_in[keep], t_out[keep]

    # ------------------------------------------------------------------ detection
    def _push_clinic(self, who: np.ndarray) -> None:
        ct = self.engine.clinic_time()
        for i in who.tolist():
            if not np.isnan(ct[i]):
                self.push(self.at(0, 0) + dt.timedelta(days=float(ct[i])), "clinic", i)

    def _person_case(self, i: int) -> bool:
        return int(self.pids[i]) in self._case_people

    @property
    def _case_people(self) -> set[int]:
        if getattr(self, "_cp_cache", None) is None or self._cp_cache[0] != self.last_case_id:
            self._cp_cache = (self.last_case_id, set(Case.objects.values_list("person_id", flat=True)))
        return self._cp_cache[1]

    def _on_clinic(self, i: int) -> None:
        pid = int(self.pids[i])
        if self._person_case(i) or Stay.objects.filter(person_id=pid, status="in", kind="centralized").exists():
            return  # a case already, or in a site where the scheduled tests will find them
        self.clinic_swabs += 1
        now = self.clock.now()
        if self.engine.pcr_positive(np.array([i]), self.t_days(now))[0]:
            self.push(now + dt.timedelta(hours=self.cfg.clinic_result_hours), "clinic_result", (i, now))

    def _on_clinic_result(self, payload) -> None:
        i, sampled = payload
        onset = self.at(0, 0) + dt.timedelta(days=float(self.engine.onset_time()[i]))
        try:
            cases.case_report(actor=SYSTEM, person_id=int(self.pids[i]), kind="confirmed", found_by="fever_clinic",
                              confirmed_at=self.clock.now(), sampled_at=sampled,
                              onset_date=clock.day_of(min(onset, sampled)),
                              source=f"sim.fever_clinic:{int(self.pids[i])}")
        except Conflict:
            pass  # confirmed meanwhile by another flow

    def _new_cases(self, day: int) -> None:
        fresh = list(Case.objects.filter(pk__gt=self.last_case_id).order_by("pk").values_list("pk", "person_id"))
        if not fresh:
            return
        self.last_case_id = fresh[-1][0]
        if self.first_case_day is None:
            self.first_case_day = day
            if self.cfg.screening_every and self.next_round_day is None:
                self.next_round_day = day + 1
        now = self.clock.now()
        for case_id, person_id in fresh:
            self.case_ids.add(case_id)
            if self.cfg.response:
                self.push(now + dt.timedelta(hours=self.cfg.tracer_hours), "trace", case_id)
            for stay in Stay.objects.filter(person_id=person_id, status__in=["expected", "in"]):
                quarantine.stay_to_hospital(actor=self.actor, stay=stay)

    def _hospitalise_cases(self) -> None:
        """A case placed after confirmation (queued as someone's contact before) leaves the site for hospital."""
        for stay in Stay.objects.filter(status__in=["expected", "in"], person_id__in=Case.objects.values("person_id")):
            quarantine.stay_to_hospital(actor=self.actor, stay=stay)

    def _on_trace(self, case_id: int) -> None:
        ids = list(RiskPerson.objects.filter(source_case_id=case_id, status="proposed").values_list("pk", flat=True))
        if ids:
            contacts.risk_decide(actor=self.actor, ids=ids, decision="confirm", note="simulation tracer")

    # ------------------------------------------------------------------ measures
    def _on_advance(self, day: int) -> None:
        # Only plans with something to do today: a phase starting, or the plan over (release). The others'
        # reasons are already those of their current phase, so advancing them would change nothing.
        today = self.date(day).isoformat()
        due = [pk for pk, plan in RiskPerson.objects.filter(status="under_measures").values_list("pk", "plan")
               if not plan or plan[-1]["end"] < today or any(p["start"] == today for p in plan)]
        if due:
            contacts.measures_advance(actor=SYSTEM, today=self.date(day), rows=RiskPerson.objects.filter(pk__in=due))

    def _on_placement(self, day: int) -> None:
        self._hospitalise_cases()
        arrivals = list(Stay.objects.filter(status="expected", kind="centralized").order_by("pk"))
        if arrivals:
            quarantine.stays_check_in_many(actor=self.actor, stays=arrivals)
        queued = set(PlacementRequest.objects.filter(status="queued").values_list("region_path", flat=True))
        for d in self.districts:
            if not any(p.startswith(d.path + ".") for p in queued):
                continue
            try:
                proposal = quarantine.proposal_build(actor=self.actor, district_path=d.path)
            except ServiceError:
                continue
            lines = list(ProposalLine.objects.filter(proposal=proposal, confirmed_at__isnull=True).values_list("pk", flat=True))
            if lines:
                quarantine.proposal_confirm(actor=self.actor, line_ids=lines)

    def _on_site_tests(self, day: int) -> None:
        latest = {}  # one swab per person: the latest test due (earlier missed ones stay pending)
        for pk, person_id in (ScheduledTest.objects.filter(due__lte=self.date(day), result="pending", stay__status="in")
                              .order_by("due", "pk").values_list("pk", "stay__person_id")):
            latest[person_id] = pk
        tests = [(pk, person_id) for person_id, pk in latest.items()]
        if tests:
            sampled = self.clock.now()
            idx = np.searchsorted(self.pids, np.array([t[1] for t in tests], dtype=np.int64))
            pos = self.engine.pcr_positive(idx, self.t_days(sampled))
            rows = [{"test_id": t[0], "result": "positive" if p else "negative", "sampled_at": sampled}
                    for t, p in zip(tests, pos.tolist(), strict=True)]
            self.push(self.at(day, 15), "site_results", rows)

    def _on_site_results(self, rows) -> None:
        self._hospitalise_cases()
        live = set(ScheduledTest.objects.filter(pk__in=[r["test_id"] for r in rows], result="pending", stay__status="in")
                   .values_list("pk", flat=True))
        rows = [r for r in rows if r["test_id"] in live]
        if rows:
            quarantine.test_results_import(actor=self.actor, rows=rows)

    def _on_release(self, day: int) -> None:
        today = self.date(day)
        # one batch; a refused stay (waiting for its last negative test, a carer kept) waits for a later day
        quarantine.stays_release_many(actor=self.actor, stays=list(Stay.objects.filter(status="in", planned_end__lt=today)),
                                      today=today)

    # ------------------------------------------------------------------ gates, checkpoints, surveillance
    def _on_passages(self, batch) -> None:
        self.passages.run(batch)

    def _on_surveillance(self, day: int) -> None:
        quarantine.forecast_refresh(actor=SYSTEM, on=self.date(day))  # rt_refresh with the people in sites

    # ------------------------------------------------------------------ measurement
    def _snapshot(self, day: int, infections: int, infectious: int, off_street: int) -> None:
        self.series["date"].append(self.date(day).isoformat())
        self.series["infections"].append(infections)
        self.series["infectious"].append(infectious)
        self.series["occupancy"].append(Stay.objects.filter(status="in", kind="centralized").count())
        self.series["queued"].append(PlacementRequest.objects.filter(status="queued").count())
        self.series["off_street"].append(off_street)

    def measure(self) -> tuple[dict, dict]:
        return kpis.measure(self)

    def truth_summary(self) -> dict:
        e = self.engine
        gi, si = e.generation_intervals(), e.serial_intervals()
        infected = e.inf_day >= 0
        by = np.bincount(e.setting[infected & (e.setting >= 0)], minlength=len(epidemic.SETTINGS))
        return {"infections": int(infected.sum()),
                "generation_interval_mean": round(float(gi.mean()), 2) if len(gi) else None,
                "serial_interval_mean": round(float(si.mean()), 2) if len(si) else None,
                "incubation_mean": round(float(np.nanmean(e.incubation[infected])), 2) if infected.any() else None,
                "by_setting": {name: int(by[k]) for k, name in enumerate(epidemic.SETTINGS)}}


def outcome_json(outcome: Outcome) -> str:
    return json.dumps({"config": outcome.config, "kpis": outcome.kpis}, default=str)
