"""A day of venue check-ins: work, school, commuting, groceries, meals, leisure, hospital visits and errands."""

import datetime as dt

import numpy as np

from cordon.sim.citygen.params import (
    DWELL,
    ESTIMATED_SHARE,
    LEISURE,
    SHIFT_MINUTES,
    WEEKEND_WORK,
    WORK_START_ARR,
    K,
)
from cordon.venues.models import DEFAULT_DWELL_MINUTES, MAX_DWELL_MINUTES


class Checkins:
    """CityPlan's check-ins, generated a day at a time (stream 100, day) so memory stays bounded."""

    def day_start_epoch(self, day: int) -> int:
        d = self.day_date(day)
        return int(dt.datetime(d.year, d.month, d.day, tzinfo=self.tz).timestamp())

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the check-in window as aware datetimes."""
        a, b = self.day_date(0), self.end_date + dt.timedelta(days=1)
        return (dt.datetime(a.year, a.month, a.day, tzinfo=self.tz), dt.datetime(b.year, b.month, b.day, tzinfo=self.tz))

    def day_checkins(self, day: int):
        """(person index, venue index, time_in epoch s, time_out epoch s, estimated, unit index or -1) for one day,
        by person and time. One stream (100, day), drawn from in this order: work and school with the commute,
        groceries, meals, leisure, hospital, errands, then seats, arrival seconds and estimated dwell."""
        date = self.day_date(day)
        d = _Day(self, self.rng(100, day), weekend=date.weekday() >= 5)
        workers, busy = self._work_and_school(d)
        self._groceries(d)
        self._meals(d, workers)
        self._leisure(d)
        self._hospital(d, dialysis_day=date.weekday() in (0, 2, 4))
        self._errands(d, busy)
        return self._day_rows(d, day)

    def _work_and_school(self, d):
        """Shifts, school days and the commute by bus or metro both ways; returns (workers going, commuters mask)."""
        rng, n, age, idx_all = d.rng, self.people, self.age, d.idx_all
        wk = self.work_kind
        if d.weekend:
            p_work = np.select([wk == K["office"], wk == K["school"], wk == K["factory"]],
                               [WEEKEND_WORK["office"], WEEKEND_WORK["school"], WEEKEND_WORK["factory"]], 0.55)
        else:
            p_work = np.full(n, 0.92)
        going = self.worker & (rng.random(n) < p_work)
        w = idx_all[going]
        start_h = WORK_START_ARR[wk[w]] + rng.normal(0, 0.45, len(w))
        shift = SHIFT_MINUTES * rng.uniform(0.9, 1.15, len(w))
        d.emit(w, self.workplace[w], start_h, shift, np.where(self.work_unit[w] >= 0, self.work_unit[w], -2))
        s = idx_all[self.student & (rng.random(n) < (0.0 if d.weekend else 0.97))]
        s_start = 7.45 + rng.normal(0, 0.2, len(s))
        s_dwell = DEFAULT_DWELL_MINUTES["school"] * rng.uniform(0.92, 1.08, len(s))
        d.emit(s, self.workplace[s], s_start, s_dwell, np.where(self.work_unit[s] >= 0, self.work_unit[s], -2))
        # commuting by bus or metro, both ways
        commuters = np.concatenate([w, s])
        c_start = np.concatenate([start_h, s_start])
        c_end = c_start + np.concatenate([shift, s_dwell]) / 60
        take = self.transit[commuters] & (age[commuters] >= 10)
        commuters, c_start, c_end = commuters[take], c_start[take], c_end[take]
        metro = rng.random(len(commuters)) < 0.3
        kind = np.where(metro, K["station"], K["bus"])
        wv = self.workplace[commuters]
        d.emit(commuters, d.near(commuters, kind, 0.5, 0.4), c_start - rng.uniform(0.25, 0.9, len(commuters)),
               visit_minutes_for(kind, rng))
        d.emit(commuters, d.near(commuters, kind, 0.5, 0.4, self.v_street[wv], self.v_district[wv]),
               c_end + rng.uniform(0, 0.4, len(commuters)), visit_minutes_for(kind, rng))
        busy = np.zeros(n, dtype=bool)
        busy[commuters] = True
        return w, busy

    def _groceries(self, d):
        """Older people at the morning market, others after work or on weekend mornings."""
        rng, n, age, idx_all = d.rng, self.people, self.age, d.idx_all
        older = age >= 60
        g_p = np.where(older, 0.45, 0.30 if not d.weekend else 0.42) * self.outgoing
        g = idx_all[(age >= 18) & (rng.random(n) < g_p)]
        g_old = older[g]
        kind = np.where(rng.random(len(g)) < np.where(g_old, 0.7, 0.35), K["market"], K["supermarket"])
        hours = np.where(g_old, rng.normal(8.2, 1.0, len(g)), rng.normal(10.5 if d.weekend else 18.6, 1.5, len(g)))
        v = d.near(g, kind, 0.7, 0.25)
        d.emit(g, v, hours, d.visit_minutes(v))

    def _meals(self, d, w):
        """Lunch near work on workdays (for the workers `w` going), with family near home on weekends; dinner out."""
        rng, n, age, idx_all, outgoing = d.rng, self.people, self.age, d.idx_all, self.outgoing
        if not d.weekend:
            lw = w[rng.random(len(w)) < 0.35 * outgoing[w]]
            v = self.index.pick(K["restaurant"], self.v_street[self.workplace[lw]], self.v_district[self.workplace[lw]],
                                rng, p_street=0.8, p_district=0.2)
            d.emit(lw, v, rng.normal(12.1, 0.35, len(lw)), d.visit_minutes(v))
        else:
            lw = idx_all[(age >= 3) & (rng.random(n) < 0.25 * outgoing)]
            v = d.near(lw, K["restaurant"], 0.5, 0.35)
            d.emit(lw, v, rng.normal(12.0, 0.6, len(lw)), d.visit_minutes(v))
        dn = idx_all[(age >= 3) & (rng.random(n) < (0.3 if d.weekend else 0.15) * outgoing)]
        v = d.near(dn, K["restaurant"], 0.5, 0.35)
        d.emit(dn, v, rng.normal(18.6, 0.7, len(dn)), d.visit_minutes(v))

    def _leisure(self, d):
        rng, n, age, idx_all = d.rng, self.people, self.age, d.idx_all
        for kind, ages, p_wd, p_we, mean_h, sd_h in LEISURE:
            p = (p_we if d.weekend else p_wd) * self.outgoing
            who = idx_all[(age >= ages[0]) & (age < ages[1]) & (rng.random(n) < p)]
            v = d.near(who, K[kind], 0.35, 0.4)
            hours = rng.normal(mean_h if not d.weekend or kind in ("ktv", "gym") else 15.0, sd_h, len(who))
            d.emit(who, v, hours, d.visit_minutes(v))

    def _hospital(self, d, *, dialysis_day: bool):
        """The elderly and chronically ill more often; dialysis three mornings a week."""
        rng, n, idx_all = d.rng, self.people, d.idx_all
        p_h = 0.004 + 0.01 * (self.age >= 60) + 0.01 * self.chronic + 0.01 * self.infant
        who = idx_all[rng.random(n) < p_h]
        v = d.near(who, K["hospital"], 0.3, 0.5)
        d.emit(who, v, rng.normal(9.5, 1.5, len(who)), d.visit_minutes(v))
        if dialysis_day:
            who = idx_all[self.dialysis]
            v = d.near(who, K["hospital"], 0.2, 0.6)
            d.emit(who, v, rng.normal(8.0, 0.3, len(who)), np.full(len(who), 240.0))

    def _errands(self, d, busy):
        """Errands by bus or metro for those not commuting (`busy`): there and back."""
        rng, n, age, idx_all = d.rng, self.people, self.age, d.idx_all
        who = idx_all[~busy & (age >= 10) & (rng.random(n) < 0.3 * self.outgoing)]
        kind = np.where(rng.random(len(who)) < 0.3, K["station"], K["bus"])
        there = rng.normal(10.0 if not d.weekend else 13.0, 2.0, len(who))
        back = there + rng.uniform(1.0, 4.0, len(who))
        d.emit(who, d.near(who, kind, 0.4, 0.4), there, visit_minutes_for(kind, rng))
        d.emit(who, d.near(who, kind, 0.3, 0.4), back, visit_minutes_for(kind, rng))

    def _day_rows(self, d, day: int):
        """The drawn visits as rows: visitors seated, arrival seconds, estimated dwell for a share, by person and time."""
        rng = d.rng
        person = np.concatenate(d.out_p)
        venue = np.concatenate(d.out_v)
        unit = np.concatenate(d.out_u)
        # visitors (unit -1) at venues with visitors' spaces take one at random; staff without a unit (-2) keep none
        seat = (unit == -1) & (self.v_unit_n[venue] > 0)
        unit[seat] = self.v_unit_base[venue[seat]] + (rng.random(int(seat.sum())) * self.v_unit_n[venue[seat]]).astype(np.int64)
        unit[unit < 0] = -1
        t_in = np.concatenate(d.out_t) + self.day_start_epoch(day) + rng.integers(0, 60, len(person))
        minutes = np.concatenate(d.out_d)
        estimated = rng.random(len(person)) < ESTIMATED_SHARE
        minutes = np.where(estimated, DWELL[self.v_kind[venue]], minutes)
        t_out = t_in + np.round(minutes * 60).astype(np.int64)
        order = np.lexsort((t_in, person))
        return person[order], venue[order], t_in[order], t_out[order], estimated[order], unit[order]


class _Day:
    """One day's visits being drawn: the plan, the day's stream, and the visits so far (person, venue, unit,
    second of the day, minutes)."""

    def __init__(self, plan, rng, *, weekend: bool):
        self.plan = plan
        self.rng = rng
        self.weekend = weekend
        self.idx_all = np.arange(plan.people)
        self.out_p, self.out_v, self.out_u, self.out_t, self.out_d = [], [], [], [], []

    def emit(self, who, venues, hours, minutes, units=None):
        self.out_p.append(who)
        self.out_v.append(venues)
        self.out_u.append(np.full(len(who), -1, dtype=np.int64) if units is None else units)
        self.out_t.append(np.clip(hours * 3600, 300, 86_100).astype(np.int64))
        self.out_d.append(minutes)

    def visit_minutes(self, venues):
        default = DWELL[self.plan.v_kind[venues]]
        return np.clip(default * self.rng.lognormal(0, 0.35, len(venues)), 5, MAX_DWELL_MINUTES)

    def near(self, who, kind, p_street=0.55, p_district=0.3, streets=None, districts=None):
        plan = self.plan
        return plan.index.pick(kind, plan.home_street[who] if streets is None else streets,
                               plan.home_district[who] if districts is None else districts, self.rng,
                               p_street=p_street, p_district=p_district)


def visit_minutes_for(kind, rng):
    return np.clip(DWELL[kind] * rng.lognormal(0, 0.35, len(kind)), 5, MAX_DWELL_MINUTES)
