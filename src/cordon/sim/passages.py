"""Gates and checkpoints in the digital twin: each simulated day some residents try to go out, through the
platform's own services, so the passage rules (and the no_red_or_sealed_passage invariant) meet real traffic.

Who tries (deterministic per seed and day, chosen from the platform's records, people away from home left out):
- up to a third of the attempts by people the platform keeps in: health colour red or yellow, or living in a
  household of an active zone; the rest by other residents;
- 60% leave their compound (community.services.passage_record, direction "out"), 40% go out of the city through
  their district's checkpoint (checkpoints.services.inspection_record with their signed health code, direction
  "out"), in three batches (08:00, 12:00, 17:00), acting as the named system actor `system:sim`.

Refusals are expected: a gate refuses the exit (Conflict exit_refused, no row written), a checkpoint holds
(no_exit) or redirects. A share (`EMERGENCY_SHARE`) of the refused are emergencies (dialysis, childbirth, medical
emergency): the simulation's district officer (`sim-district-officer`, a district_officer post in each district)
overrides the refusal with the reason: the gate exit is recorded with override_reason, the checkpoint hold gets
inspection_override.
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth import get_user_model

from cordon.accounts.models import Post
from cordon.checkpoints import services as checkpoints
from cordon.community import services as community
from cordon.core import access
from cordon.core.errors import Conflict, ServiceError
from cordon.people.models import Person
from cordon.status import credentials
from cordon.status.models import HealthStatus
from cordon.zones.models import ZoneHousehold

SYSTEM = access.system("sim")
GATE_SHARE = 0.6
FLAGGED_SHARE = 1 / 3
EMERGENCY_SHARE = 0.1
EMERGENCIES = ("血液透析 / dialysis", "分娩 / childbirth", "急诊 / medical emergency")
HOURS = (8, 12, 17)
COUNTERS = ("exits_attempted", "exits", "exits_refused", "exit_overrides", "checkpoint_crossings", "checkpoint_passes",
            "checkpoint_holds", "checkpoint_redirects", "checkpoint_overrides", "passage_errors")


class Passages:
    def __init__(self, twin, *, per_day: int):
        self.twin = twin
        self.per_day = per_day
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.officer = None
        self.checkpoint_of: dict[str, object] = {}   # district path -> Checkpoint

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        """One road checkpoint per district and the simulation's district officer (posts in every district)."""
        user, _ = get_user_model().objects.get_or_create(username="sim-district-officer",
                                                         defaults={"first_name": "simulation"})
        for d in self.twin.districts:
            Post.objects.get_or_create(user=user, role="district_officer", region=d, defaults={"title": "simulation"})
            self.checkpoint_of[d.path] = checkpoints.checkpoint_create(
                actor=SYSTEM, name=f"{d.name} simulation road checkpoint", kind="road", region=d,
                code=f"SIM{d.pk:06d}")
        access.forget(user)
        self.officer = user

    # ------------------------------------------------------------------ the day
    def plan(self, day: int, away: np.ndarray) -> None:
        """Choose today's attempts and schedule them in the day's batches."""
        if self.per_day <= 0:
            return
        tw = self.twin
        rng = np.random.default_rng([tw.cfg.seed, 31, day])
        at_home = ~away
        kept = np.zeros(len(tw.pids), dtype=bool)
        ids = np.fromiter(HealthStatus.objects.filter(colour__in=["red", "yellow"]).values_list("person_id", flat=True),
                          dtype=np.int64)
        households = set(ZoneHousehold.objects.filter(active=True).exclude(zone__status="cancelled")
                         .filter(zone__lifted_at__isnull=True).values_list("household_id", flat=True))
        if len(ids):
            kept[np.searchsorted(tw.pids, ids)] = True
        if households:
            kept |= np.isin(tw.engine.household, np.fromiter(households, dtype=np.int64))
        flagged = np.flatnonzero(kept & at_home)
        others = np.flatnonzero(~kept & at_home)
        n_flagged = min(len(flagged), int(self.per_day * FLAGGED_SHARE))
        n_others = min(len(others), self.per_day - n_flagged)
        who = np.concatenate([rng.choice(flagged, n_flagged, replace=False) if n_flagged else flagged[:0],
                              rng.choice(others, n_others, replace=False) if n_others else others[:0]])
        rng.shuffle(who)
        gate = rng.random(len(who)) < GATE_SHARE
        emergency = rng.random(len(who)) < EMERGENCY_SHARE
        reason = rng.integers(0, len(EMERGENCIES), len(who))
        items = [(int(i), bool(g), EMERGENCIES[int(r)] if e else "")
                 for i, g, e, r in zip(who.tolist(), gate.tolist(), emergency.tolist(), reason.tolist(), strict=True)]
        for k, hour in enumerate(HOURS):
            batch = items[k::len(HOURS)]
            if batch:
                tw.push(tw.at(day, hour), "passages", batch)

    def run(self, batch: list[tuple[int, bool, str]]) -> None:
        tw = self.twin
        pids = [int(tw.pids[i]) for i, _g, _e in batch]
        home = {pk: (community_id, compound) for pk, community_id, compound in Person.objects.filter(
            pk__in=pids, household__building__isnull=False).values_list(
            "pk", "household__building__community_id", "household__building__compound")}
        self._gates([(int(tw.pids[i]), *home[int(tw.pids[i])], emergency) for i, at_gate, emergency in batch
                     if at_gate and int(tw.pids[i]) in home])
        for i, at_gate, emergency in batch:
            if not at_gate:
                self._checkpoint(i, int(tw.pids[i]), emergency)

    def _gates(self, items: list[tuple[int, int, str, str]]) -> None:
        """The batch's compound exits (person, community, compound, emergency) in one community.passages_record_many
        (the refused left out), then the emergencies among the refused overridden by the district officer in one
        more; a batch refused for another reason goes through one exit at a time, counting each error."""
        if not items:
            return
        c = self.counts
        try:
            logs = community.passages_record_many(actor=SYSTEM, skip_refused=True, items=[
                {"community_id": cid, "compound": compound, "direction": "out", "person_id": pid,
                 "purpose": "simulation"} for pid, cid, compound, _e in items])
        except ServiceError:
            for item in items:
                self._gate(*item)
            return
        refused = [item for item, log in zip(items, logs, strict=True) if log is None]
        c["exits_attempted"] += len(items)
        c["exits"] += len(items) - len(refused)
        c["exits_refused"] += len(refused)
        emergencies = [(pid, cid, compound, why) for pid, cid, compound, why in refused if why]
        if emergencies:
            community.passages_record_many(actor=self.officer, items=[
                {"community_id": cid, "compound": compound, "direction": "out", "person_id": pid,
                 "purpose": "simulation emergency", "override_reason": why} for pid, cid, compound, why in emergencies])
            c["exits"] += len(emergencies)
            c["exit_overrides"] += len(emergencies)

    def _gate(self, pid: int, community_id: int, compound: str, emergency: str) -> None:
        c = self.counts
        c["exits_attempted"] += 1
        try:
            community.passage_record(actor=SYSTEM, community_id=community_id, compound=compound, direction="out",
                                     person_id=pid, purpose="simulation")
            c["exits"] += 1
            return
        except Conflict as exc:
            if getattr(exc, "code", "") != "exit_refused":
                c["passage_errors"] += 1
                return
            c["exits_refused"] += 1
        except ServiceError:
            c["passage_errors"] += 1
            return
        if emergency:
            community.passage_record(actor=self.officer, community_id=community_id, compound=compound, direction="out",
                                     person_id=pid, purpose="simulation emergency", override_reason=emergency)
            c["exits"] += 1
            c["exit_overrides"] += 1

    def _checkpoint(self, i: int, pid: int, emergency: str) -> None:
        tw = self.twin
        c = self.counts
        path = tw.grid_path[i]
        cp = next((cp for d, cp in self.checkpoint_of.items() if path.startswith(d + ".")), None)
        issued = credentials.credential_issue(token=tw.token[i]) if cp is not None else None
        if issued is None:
            c["passage_errors"] += 1
            return
        c["checkpoint_crossings"] += 1
        try:
            insp = checkpoints.inspection_record(actor=SYSTEM, checkpoint=cp, code=issued["code"], direction="out",
                                                 destination="simulation")
        except ServiceError:
            c["passage_errors"] += 1
            return
        if insp.result == "pass":
            c["checkpoint_passes"] += 1
            return
        c["checkpoint_holds" if insp.result == "hold" else "checkpoint_redirects"] += 1
        if emergency and insp.reason == "no_exit":
            checkpoints.inspection_override(actor=self.officer, inspection=insp, reason=emergency)
            c["checkpoint_overrides"] += 1
