"""Agent-based SEIR engine of the outbreak digital twin: pure NumPy/SciPy, no Django, no database.

Each agent carries its ground truth: the day and hour of infection, who infected them (or -1 for an
index case), where (home or a venue), whether they will be asymptomatic, their incubation period and
symptom onset, and whether and when they would walk into a fever clinic. The driver (cordon.sim.twin)
feeds it a day's venue check-ins and who is kept off the street or out of the home by the platform's
measures; the engine returns the day's new infections.

Natural history (Omicron-like, defaults from the tracing rule set: incubation mean 3.4 days, serial
interval mean 3.0 days, sd 1.9):
- infectiousness by infection age is the generation-interval distribution, a gamma with the serial
  interval's mean and sd discretised on whole days (day 0, the infection day, carries none): an agent is
  E on the day of infection, I while infection age is 1..`max_infectious_days`, R after;
- incubation is log-normal (mean 3.4, sd 1.6 days), drawn independently of infectiousness, so the
  serial interval (onset to onset) has the generation interval's mean with a larger spread;
- asymptomatic agents (share `asymptomatic`) transmit with factor `asymptomatic_infectiousness`;
- PCR detectability: infection age in [`pcr_from_days`, `pcr_to_days`], sensitivity `pcr_sensitivity`.

Transmission each day is an exponential race over every exposure pair: a pair (infector j, susceptible
i) has hazard h; i is infected when the minimum over its pairs of Exp(h) falls inside the day, i.e. with
probability 1 - exp(-sum h), and the pair attaining the minimum names the infector (probability
h / sum h). Pairs:
- home: every household member of an infectious agent who is at home,
  h = beta_home * w(age_j) * rel_j;
- venue: two check-ins at the same venue (or sub-venue unit) with overlapping times,
  h = beta_venue * kind_factor[kind] * w(age_j) * rel_j * overlap_hours / max(occupancy, min_occupancy),
  where occupancy is the venue's person-hours that day / 12 h (frequency-dependent mixing: an infectious
  person-hour at any venue yields on average beta_venue * kind_factor new infections in a fully
  susceptible crowd, whatever the venue's size).

Settings recorded for each infection: home (household), and for venue pairs the mixing group's setting: school,
workplace (offices, factories; hospital departments when the twin says so), transport (buses, stations) or venue
(every other check-in: restaurants, shops, gyms, KTV, cinemas, hotels, hospital visits). With `record_exposures`
every exposure pair of an infectious agent is kept (not only those with a susceptible target), so contact
identification can be scored against the true contacts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import stats

# Where an infection happened (the engine's ground truth). A venue pair's setting is its mixing group's: the twin
# gives each venue and sub-venue unit one (Epidemic(group_setting=...)); by default it follows the venue kind.
HOME, VENUE, INDEX, WORKPLACE, SCHOOL, TRANSPORT = 0, 1, 2, 3, 4, 5
SETTINGS = ("home", "venue", "index", "workplace", "school", "transport")
KIND_SETTING = {"school": SCHOOL, "office": WORKPLACE, "factory": WORKPLACE, "bus": TRANSPORT, "station": TRANSPORT}

# Venue kinds in citygen order; per-kind transmission factors (crowding, masks off, ventilation).
KIND_FACTOR = {"market": 0.8, "supermarket": 0.7, "restaurant": 2.0, "office": 1.0, "school": 1.2, "factory": 1.0,
               "gym": 2.0, "ktv": 3.0, "cinema": 1.0, "hospital": 1.0, "station": 0.8, "bus": 2.0, "mall": 0.6,
               "hotel": 0.5}


def group_settings(kind: np.ndarray, kind_names: tuple[str, ...], *, unit: bool = False) -> np.ndarray:
    """The setting of mixing groups of these venue kinds: KIND_SETTING, and a hospital's departments (its
    sub-venue units: staff) are a workplace where its unplaced visitors are a venue."""
    table = {**KIND_SETTING, "hospital": WORKPLACE} if unit else KIND_SETTING
    by_kind = np.array([table.get(k, VENUE) for k in kind_names], dtype=np.int8)
    return by_kind[np.asarray(kind, dtype=np.int64)] if len(kind) else np.zeros(0, dtype=np.int8)


@dataclass
class Params:
    beta_home: float = 0.45            # per day of peak-normalised infectiousness, per household member
    beta_venue: float = 0.16           # new infections per infectious person-hour at a venue (kind factor 1)
    kind_factor: dict = field(default_factory=lambda: dict(KIND_FACTOR))
    min_occupancy: float = 5.0
    generation_mean: float = 3.0
    generation_sd: float = 1.9
    incubation_mean: float = 3.4
    incubation_sd: float = 1.6
    max_infectious_days: int = 14
    asymptomatic: float = 0.4
    asymptomatic_infectiousness: float = 0.5
    clinic_share: float = 0.6          # symptomatic agents who go to a fever clinic
    clinic_delay_mean_days: float = 1.0  # onset -> clinic visit (exponential)
    pcr_from_days: float = 1.0
    pcr_to_days: float = 14.0
    pcr_sensitivity: float = 0.95
    index_cases: int = 10

    def as_dict(self) -> dict:
        return asdict(self)


def generation_pmf(mean: float, sd: float, days: int) -> np.ndarray:
    """Infectiousness by whole day of infection age 0..days: gamma(mean, sd) mass of [d-0.5, d+0.5), day 0's
    mass moved to day 1 and the tail beyond `days` to the last day; sums to 1."""
    shape, scale = (mean / sd) ** 2, sd * sd / mean
    edges = np.concatenate([[0.0], np.arange(1, days) + 0.5, [np.inf]])
    pmf = np.zeros(days + 1)
    pmf[1:] = np.diff(stats.gamma.cdf(edges, shape, scale=scale))
    return pmf / pmf.sum()


@dataclass
class DayResult:
    day: int
    infected: np.ndarray      # agent indices newly infected today
    infectious: int           # agents in I today
    exposures: int            # exposure pairs considered


class Epidemic:
    """The population's ground truth and the daily transmission step."""

    def __init__(self, *, household: np.ndarray, venue_kind: np.ndarray, kind_names: tuple[str, ...],
                 params: Params | None = None, seed: int = 1, group_setting: np.ndarray | None = None,
                 record_exposures: bool = False):
        self.p = params or Params()
        self.rng = np.random.default_rng([seed, 11])
        self.n = n = len(household)
        self.household = np.asarray(household, dtype=np.int64)
        self.venue_kind = np.asarray(venue_kind, dtype=np.int64)
        self.kind_factor = np.array([self.p.kind_factor.get(k, 1.0) for k in kind_names], dtype=float)
        self.group_setting = (np.asarray(group_setting, dtype=np.int8) if group_setting is not None
                              else group_settings(self.venue_kind, kind_names))
        # every exposure pair of an infectious agent, susceptible or not (the truth contact tracing is measured
        # against): per day (source, target, setting) arrays, with record_exposures
        self.record_exposures = record_exposures
        self.exposures: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.w = generation_pmf(self.p.generation_mean, self.p.generation_sd, self.p.max_infectious_days)
        self.inf_day = np.full(n, -1, dtype=np.int64)
        self.inf_hour = np.zeros(n)
        self.infector = np.full(n, -2, dtype=np.int64)   # -2 never infected, -1 index case
        self.setting = np.full(n, -1, dtype=np.int8)
        self.venue = np.full(n, -1, dtype=np.int64)
        self.asymptomatic = np.zeros(n, dtype=bool)
        self.incubation = np.full(n, np.nan)
        self.clinic_after_onset = np.full(n, np.nan)     # days from onset to the clinic visit, nan: never goes
        # households as sorted member lists
        hh = np.where(self.household >= 0, self.household, -1 - np.arange(n))  # loners: unique negative ids
        self._hh_order = np.argsort(hh, kind="stable")
        hh_sorted = hh[self._hh_order]
        self._hh_key, self._hh_start, self._hh_count = np.unique(hh_sorted, return_index=True, return_counts=True)
        self._hh_of = np.searchsorted(self._hh_key, hh)

    # ------------------------------------------------------------------ state
    def infection_time(self) -> np.ndarray:
        """Days since the simulation start (fractional), nan for never infected."""
        return np.where(self.inf_day >= 0, self.inf_day + self.inf_hour / 24.0, np.nan)

    def onset_time(self) -> np.ndarray:
        """Symptom onset, days since the start; nan for asymptomatic or never infected."""
        return np.where(~self.asymptomatic, self.infection_time() + self.incubation, np.nan)

    def clinic_time(self) -> np.ndarray:
        return self.onset_time() + self.clinic_after_onset

    def age(self, day: int) -> np.ndarray:
        """Infection age in days on `day` (-1 for the never infected)."""
        return np.where(self.inf_day >= 0, day - self.inf_day, -1)

    def compartments(self, day: int) -> dict[str, int]:
        a = self.age(day)
        return {"S": int((a < 0).sum()), "E": int((a == 0).sum()),
                "I": int(((a >= 1) & (a <= self.p.max_infectious_days)).sum()),
                "R": int((a > self.p.max_infectious_days).sum())}

    def infectiousness(self, day: int) -> np.ndarray:
        a = self.age(day)
        ok = (a >= 1) & (a <= self.p.max_infectious_days)
        out = np.zeros(self.n)
        out[ok] = self.w[a[ok]]
        out[self.asymptomatic] *= self.p.asymptomatic_infectiousness
        return out

    def pcr_positive(self, people: np.ndarray, t_days: float) -> np.ndarray:
        """Would a swab taken at time t (days since start) test positive (sensitivity drawn)?"""
        people = np.asarray(people, dtype=np.int64)
        inf = self.infection_time()[people]
        age = t_days - inf
        detectable = (age >= self.p.pcr_from_days) & (age <= self.p.pcr_to_days)
        return detectable & (self.rng.random(len(people)) < self.p.pcr_sensitivity)

    # ------------------------------------------------------------------ events
    def _infect(self, who: np.ndarray, day: int, hour: np.ndarray, infector: np.ndarray, setting: np.ndarray,
                venue: np.ndarray) -> None:
        p, k = self.p, len(who)
        self.inf_day[who] = day
        self.inf_hour[who] = hour
        self.infector[who] = infector
        self.setting[who] = setting
        self.venue[who] = venue
        self.asymptomatic[who] = self.rng.random(k) < p.asymptomatic
        sigma2 = np.log1p((p.incubation_sd / p.incubation_mean) ** 2)
        self.incubation[who] = self.rng.lognormal(np.log(p.incubation_mean) - sigma2 / 2, np.sqrt(sigma2), k)
        goes = ~self.asymptomatic[who] & (self.rng.random(k) < p.clinic_share)
        delay = self.rng.exponential(p.clinic_delay_mean_days, k)
        self.clinic_after_onset[who] = np.where(goes, delay, np.nan)

    def seed_index_cases(self, *, day: int = 0, count: int | None = None, among: np.ndarray | None = None) -> np.ndarray:
        """Infect `count` agents (from `among`, default everyone) on `day`: the outbreak's index cases."""
        count = self.p.index_cases if count is None else count
        pool = np.arange(self.n) if among is None else np.asarray(among)
        pool = pool[self.inf_day[pool] < 0]
        who = np.sort(self.rng.choice(pool, size=min(count, len(pool)), replace=False))
        k = len(who)
        self._infect(who, day, self.rng.uniform(0, 24, k), np.full(k, -1), np.full(k, INDEX), np.full(k, -1))
        return who

    # long: one simulated hour of the vectorised epidemic (NumPy): exposure, progression and testing share the arrays
    def step(self, day: int, checkins: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None, *,
             off_street: np.ndarray | None = None, away_from_home: np.ndarray | None = None) -> DayResult:
        """One day of transmission.

        checkins: (person, venue, minute in, minute out) of the day, minutes from the day's midnight.
        off_street: agents who do not go out (measures, held pool members, cases): no venue pairs.
        away_from_home: agents not at home (in a quarantine site, in hospital): no household pairs."""
        n = self.n
        off_street = np.zeros(n, dtype=bool) if off_street is None else off_street
        away = np.zeros(n, dtype=bool) if away_from_home is None else away_from_home
        w = self.infectiousness(day)
        susceptible = self.inf_day < 0
        src_t, src_s, src_h, src_hour, src_set, src_venue = [], [], [], [], [], []
        # home pairs
        inf_home = np.flatnonzero((w > 0) & ~away)
        if len(inf_home):
            hh = self._hh_of[inf_home]
            counts = self._hh_count[hh]
            starts = self._hh_start[hh]
            src = np.repeat(inf_home, counts)
            offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            tgt = self._hh_order[np.repeat(starts, counts) + offs]
            ok = (tgt != src) & ~away[tgt]
            src, tgt = src[ok], tgt[ok]
            self._record(day, src, tgt, np.full(len(src), HOME, dtype=np.int8))
            ok = susceptible[tgt]
            src, tgt = src[ok], tgt[ok]
            src_s.append(src)
            src_t.append(tgt)
            src_h.append(self.p.beta_home * w[src])
            src_hour.append(self.rng.uniform(18, 24, len(src)))
            src_set.append(np.full(len(src), HOME, dtype=np.int8))
            src_venue.append(np.full(len(src), -1))
        # venue pairs
        if checkins is not None and len(checkins[0]):
            person, venue, t_in, t_out = (np.asarray(a) for a in checkins)
            keep = ~off_street[person]
            person, venue, t_in, t_out = person[keep], venue[keep], t_in[keep].astype(float), t_out[keep].astype(float)
            order = np.argsort(venue, kind="stable")
            person, venue, t_in, t_out = person[order], venue[order], t_in[order], t_out[order]
            v_key, v_start, v_count = np.unique(venue, return_index=True, return_counts=True)
            hours = np.bincount(np.searchsorted(v_key, venue), weights=(t_out - t_in) / 60.0, minlength=len(v_key))
            occupancy = np.maximum(hours / 12.0, self.p.min_occupancy)
            rows = np.flatnonzero(w[person] > 0)
            if len(rows):
                vi = np.searchsorted(v_key, venue[rows])
                counts = v_count[vi]
                a = np.repeat(rows, counts)
                offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                b = np.repeat(v_start[vi], counts) + offs
                lo = np.maximum(t_in[a], t_in[b])
                hi = np.minimum(t_out[a], t_out[b])
                ok = (hi > lo) & (person[a] != person[b])
                a, b, lo, hi = a[ok], b[ok], lo[ok], hi[ok]
                vk = np.repeat(vi, counts)[ok]
                self._record(day, person[a], person[b], self.group_setting[v_key[vk]])
                ok = susceptible[person[b]]
                a, b, lo, hi, vk = a[ok], b[ok], lo[ok], hi[ok], vk[ok]
                rate = self.p.beta_venue * self.kind_factor[self.venue_kind[v_key[vk]]] / occupancy[vk]
                src_s.append(person[a])
                src_t.append(person[b])
                src_h.append(rate * w[person[a]] * (hi - lo) / 60.0)
                src_hour.append((lo + hi) / 120.0)
                src_set.append(self.group_setting[v_key[vk]])
                src_venue.append(v_key[vk])
        infected = np.zeros(0, dtype=np.int64)
        pairs = 0
        if src_t:
            tgt, src, h = np.concatenate(src_t), np.concatenate(src_s), np.concatenate(src_h)
            hour, setting, ven = np.concatenate(src_hour), np.concatenate(src_set), np.concatenate(src_venue)
            pairs = len(tgt)
            live = h > 0
            tgt, src, h, hour, setting, ven = tgt[live], src[live], h[live], hour[live], setting[live], ven[live]
            key = self.rng.exponential(1.0, len(h)) / h   # Exp(rate h): the first exposure to "fire"
            order = np.lexsort((key, tgt))
            first = order[np.r_[True, tgt[order][1:] != tgt[order][:-1]]] if len(order) else order
            hit = first[key[first] < 1.0]
            infected = tgt[hit]
            self._infect(infected, day, np.clip(hour[hit], 0, 23.99), src[hit], setting[hit], ven[hit])
        return DayResult(day=day, infected=infected, infectious=int((w > 0).sum()), exposures=pairs)

    def _record(self, day: int, src: np.ndarray, tgt: np.ndarray, setting: np.ndarray) -> None:
        """Keep the day's exposure pairs (distinct source, target, setting) when recording exposures."""
        if not self.record_exposures or not len(src):
            return
        key = (src.astype(np.int64) * self.n + tgt) * 8 + setting
        if day in self.exposures:
            old_s, old_t, old_k = self.exposures[day]
            key = np.concatenate([(old_s.astype(np.int64) * self.n + old_t) * 8 + old_k, key])
        key = np.unique(key)
        pair, k = np.divmod(key, 8)
        s, t = np.divmod(pair, self.n)
        self.exposures[day] = (s.astype(np.int32), t.astype(np.int32), k.astype(np.int8))

    def exposure_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(day, source, target, setting) of every recorded exposure (record_exposures), all days."""
        days = sorted(self.exposures)
        if not days:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z, np.zeros(0, dtype=np.int8)
        parts = [self.exposures[d] for d in days]
        return (np.concatenate([np.full(len(p[0]), d) for d, p in zip(days, parts, strict=True)]),
                np.concatenate([p[0] for p in parts]).astype(np.int64), np.concatenate([p[1] for p in parts]).astype(np.int64),
                np.concatenate([p[2] for p in parts]))

    # ------------------------------------------------------------------ statistics of the ground truth
    def generation_intervals(self) -> np.ndarray:
        """Infectee infection time minus infector infection time (days), for every transmission."""
        who = np.flatnonzero(self.infector >= 0)
        t = self.infection_time()
        return t[who] - t[self.infector[who]]

    def serial_intervals(self) -> np.ndarray:
        """Onset-to-onset intervals (days) of transmission pairs where both had symptoms."""
        who = np.flatnonzero(self.infector >= 0)
        on = self.onset_time()
        si = on[who] - on[self.infector[who]]
        return si[~np.isnan(si)]

    def offspring(self, who: np.ndarray) -> np.ndarray:
        """Number of agents each of `who` infected."""
        counts = np.bincount(self.infector[self.infector >= 0], minlength=self.n)
        return counts[np.asarray(who, dtype=np.int64)]
