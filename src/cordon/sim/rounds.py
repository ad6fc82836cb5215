"""Mass screening in the digital twin (cordon.sim.twin): every `screening_every` days once a case is known,
07:00 screening.round_plan + round_publish over the city, 19:00 samples_register of everyone taking part
(pooled by site and household, `pool` per tube) and round_close, 20:00 tubes_receive, 02:00 results_apply;
held pool members are retested single-tube at 08:00 (retests_register) with results 6 h later."""

from __future__ import annotations

import datetime as dt

import numpy as np

from cordon.cases.models import Case
from cordon.quarantine.models import Stay
from cordon.screening import services as screening
from cordon.screening.models import Retest, Round, Site


class MassScreening:
    """The Twin's mass screening event handlers (`_on_<kind>`); they use the Twin's clock, engine, events
    (push, at, t_days), people (pids, token, grid_path, idx_of), config and actor."""

    def _on_round(self, day: int) -> None:
        rnd = screening.round_plan(actor=self.actor, name=f"simulation round day {day + 1}", region=self.root,
                           starts_at=self.at(day, 7), ends_at=self.at(day, 19), pool_size=self.cfg.pool)
        screening.round_publish(actor=self.actor, rnd=rnd)
        self.push(self.at(day, 19), "round_samples", (day, rnd.pk))

    def _on_round_samples(self, payload) -> None:
        day, round_id = payload
        rnd = Round.objects.get(pk=round_id)
        site_of = {}
        for sid, grids, size in Site.objects.filter(round=rnd, active=True).values_list("pk", "grid_paths", "pool_size"):
            for g in grids:
                site_of[g] = (sid, size)
        excluded = set(Case.objects.values_list("person_id", flat=True)) | set(
            Stay.objects.filter(status="in", kind="centralized").values_list("person_id", flat=True))
        rng = np.random.default_rng([self.cfg.seed, 21, day])
        take = rng.random(len(self.pids)) < self.cfg.screening_participation
        who = [i for i in np.flatnonzero(take).tolist() if int(self.pids[i]) not in excluded and self.grid_path[i] in site_of]
        who.sort(key=lambda i: (site_of[self.grid_path[i]][0], self.engine.household[i], i))
        times = self.at(day, 7) + np.array([dt.timedelta(minutes=int(m)) for m in rng.integers(0, 12 * 60, len(who))])
        items, tubes, counter = [], {}, {}
        current: dict[int, tuple[str, int]] = {}
        for i, when in zip(who, times.tolist(), strict=True):
            sid, size = site_of[self.grid_path[i]]
            code, filled = current.get(sid, ("", size))
            if filled >= size:
                counter[sid] = counter.get(sid, 0) + 1
                code, filled = f"P{round_id:04d}-{sid:05d}-{counter[sid]:05d}", 0
            current[sid] = (code, filled + 1)
            items.append({"person": self.token[i], "tube": code, "site": sid, "sampled_at": when})
            tubes.setdefault(code, []).append((i, when))
        for k in range(0, len(items), screening.MAX_BATCH):
            screening.samples_register(actor=self.actor, round_id=round_id, items=items[k:k + screening.MAX_BATCH])
        screening.round_close(actor=self.actor, rnd=rnd)
        self.push(self.at(day, 20), "round_receive", (day, round_id, tubes))

    def _on_round_receive(self, payload) -> None:
        day, round_id, tubes = payload
        if tubes:
            screening.tubes_receive(actor=self.actor, codes=list(tubes), lab="simulation lab")
        self.push(self.at(day + 1, 2), "round_results", (day, round_id, tubes))

    def _tube_results(self, tubes: dict) -> list[dict]:
        """A result per tube: positive when a member's swab is detectable and the PCR catches it. One pass over all
        the members (the engine's random numbers drawn in the same order as tube by tube: one double per member)."""
        if not tubes:
            return []
        infection = self.engine.infection_time()  # once for all tubes (an array over the whole city)
        p = self.engine.p
        t_of: dict = {}  # swab time -> simulation days (a round's swabs share a few hundred instants)
        idx, t, sizes = [], [], []
        for members in tubes.values():
            sizes.append(len(members))
            for i, when in members:
                idx.append(i)
                days = t_of.get(when)
                if days is None:
                    days = t_of[when] = self.t_days(when)
                t.append(days)
        age = np.array(t) - infection[np.array(idx, dtype=np.int64)]
        detectable = (age >= p.pcr_from_days) & (age <= p.pcr_to_days)
        caught = detectable & (self.engine.rng.random(len(idx)) < p.pcr_sensitivity)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        positive = np.logical_or.reduceat(caught, starts).tolist()
        now = self.clock.now()
        return [{"tube": code, "result": "positive" if pos else "negative", "tested_at": now}
                for code, pos in zip(tubes, positive, strict=True)]

    def _on_round_results(self, payload) -> None:
        day, round_id, tubes = payload
        if tubes:
            screening.results_apply(actor=self.actor, items=self._tube_results(tubes), lab="simulation lab", source="simulation")
        self.push(self.at(day + 1, 8), "retests", round_id)

    def _on_retests(self, round_id: int) -> None:
        tubes = {}
        now = self.clock.now()
        pending = list(Retest.objects.filter(round_id=round_id, status="pending").order_by("id").values_list("id", "person_id"))
        for i in range(0, len(pending), screening.MAX_BATCH):  # one batch per 10,000 (a few queries each), not one call per member
            part = pending[i:i + screening.MAX_BATCH]
            screening.retests_register(actor=self.actor, items=[{"retest": pk, "tube": f"RT-{round_id:04d}-{pk:07d}", "sampled_at": now}
                                                                for pk, _person in part])
            tubes.update({f"RT-{round_id:04d}-{pk:07d}": [(self.idx_of[person], now)] for pk, person in part})
        if tubes:
            self.push(now + dt.timedelta(hours=6), "retest_results", tubes)

    def _on_retest_results(self, tubes: dict) -> None:
        screening.results_apply(actor=self.actor, items=self._tube_results(tubes), lab="simulation lab", source="simulation")
