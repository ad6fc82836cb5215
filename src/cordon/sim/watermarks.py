"""Incremental hourly checks of the two invariants that read every passage or every released plan (issue 24).

`no_red_or_sealed_passage` and `no_early_end_without_reason` judge each row by facts about that row: a passage by
the colour and zone at its instant and the override on it, a released plan by the audit entry of its release. The
twin checks them every simulated hour; re-reading every passage and plan each hour made the checks grow with the
run (quadratic in days). Here each keeps the violations of the rows already judged and, at the next check, reads
only the rows that may have changed since:

- passages: rows written since (id above the last check's highest id), rows whose instant (`at`, or an inspection's
  `overridden_at`) falls at or after the last check's instant (written earlier with a time still to come, or
  overridden since); the others keep their verdict. Everything is read again (a full check) on the first check of
  each city day, when the clock went back, when the rule set's no-exit colours or confining zone kinds differ,
  when the zones, zone households, posts or users changed (a signature of those tables), and when a colour change
  was recorded since with an instant before the last check (it can change an older passage's colour);
- released plans: plans released since the last check's instant (`released_at` is the release's now), plans
  written since, and every plan found in violation before (the audit log is append-only, so a documented release
  stays documented; an undocumented one may be documented later). The stays' part is read in full every time. A
  full check on the first check of each city day and when the clock went back.

`check_both(...)` runs the full and the incremental check side by side (the tests use it to show they agree).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, Sum

from cordon.accounts.models import Post
from cordon.checkpoints.models import Inspection
from cordon.community.models import EntranceLog
from cordon.contacts.models import RiskPerson
from cordon.core import clock
from cordon.sim import invariants
from cordon.status.models import StatusChange
from cordon.zones.enums import ZoneStatus
from cordon.zones.models import Zone, ZoneHousehold


def _top(model) -> int:
    return model.objects.aggregate(top=Max("pk"))["top"] or 0


def _digest(rows) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()


def _passage_context(now: dt.datetime) -> tuple:
    """What a passage's verdict reads besides the passage and the colour history: the no-exit colours, the confining
    zone kinds, the zones and their households, the posts and the users (active, superuser)."""
    zones = _digest(Zone.objects.order_by("pk").values_list("pk", "kind", "status", "in_force_at", "lifted_at",
                                                             "ruleset"))
    members = ZoneHousehold.objects.aggregate(n=Count("pk"), top=Max("pk"),
                                              households=Sum("household_id", filter=Q(active=True)),
                                              zones=Sum("zone_id", filter=Q(active=True)))
    posts = _digest(Post.objects.order_by("pk").values_list("pk", "user_id", "role", "region_id", "active"))
    users = _digest(get_user_model().objects.filter(Q(is_superuser=True) | Q(is_active=False) | Q(posts__isnull=False))
                    .order_by("pk").distinct().values_list("pk", "is_active", "is_superuser"))
    return (tuple(invariants._no_exit_colours(now)), tuple(sorted(invariants._confining_kinds(now))), zones,
            tuple(sorted(members.items())), posts, users, ZoneStatus.CANCELLED)


@dataclass
class _Mark:
    now: dt.datetime
    day: dt.date
    tops: tuple
    context: tuple = ()


class PassageWatch:
    """no_red_or_sealed_passage, reading only the passages new or changed since the last check (see the module)."""

    def __init__(self):
        self.mark: _Mark | None = None
        self.found: dict[tuple, invariants.Violation] = {}
        self.full = 0
        self.partial = 0

    def __call__(self, *, actor, now: dt.datetime) -> list[invariants.Violation]:
        tops = (_top(Inspection), _top(EntranceLog), _top(StatusChange))
        context = _passage_context(now)
        m = self.mark
        if (m is None or now < m.now or clock.day_of(now) != m.day or context != m.context
                or StatusChange.objects.filter(pk__gt=m.tops[2], at__lt=m.now).exists()):
            self.found = {(v.kind, v.ids): v for v in invariants.no_red_or_sealed_passage(actor=actor, now=now)}
            self.full += 1
        else:
            since = Q(at__gte=m.now, at__lte=now)
            insp = set(Inspection.objects.filter(Q(pk__gt=m.tops[0]) | since
                                                 | Q(overridden_at__gte=m.now, overridden_at__lte=now))
                       .values_list("pk", flat=True))
            logs = set(EntranceLog.objects.filter(Q(pk__gt=m.tops[1]) | since).values_list("pk", flat=True))
            if insp or logs:
                for kind, ids in (("checkpoints.inspection", insp), ("community.entrancelog", logs)):
                    for pk in ids:
                        self.found.pop((kind, (pk,)), None)
                for v in invariants.no_red_or_sealed_passage(actor=actor, now=now, inspections=insp, logs=logs):
                    self.found[(v.kind, v.ids)] = v
            self.partial += 1
        self.mark = _Mark(now=now, day=clock.day_of(now), tops=tops, context=context)
        return [self.found[k] for k in sorted(self.found)]


class ReleaseWatch:
    """no_early_end_without_reason, reading only the plans released since the last check and those found in
    violation before (see the module); the stays in full."""

    def __init__(self):
        self.mark: _Mark | None = None
        self.plans: dict[int, invariants.Violation] = {}
        self.full = 0
        self.partial = 0

    def __call__(self, *, actor, now: dt.datetime) -> list[invariants.Violation]:
        tops = (_top(RiskPerson),)
        m = self.mark
        if m is None or now < m.now or clock.day_of(now) != m.day:
            found = invariants.no_early_end_without_reason(actor=actor, now=now)
            self.plans = {v.ids[0]: v for v in found if v.kind == "contacts.riskperson"}
            self.full += 1
        else:
            ids = set(RiskPerson.objects.filter(Q(pk__gt=m.tops[0]) | Q(released_at__gte=m.now))
                      .values_list("pk", flat=True)) | set(self.plans)
            found = invariants.no_early_end_without_reason(actor=actor, now=now, plans=ids)
            for pk in ids:
                self.plans.pop(pk, None)
            self.plans.update({v.ids[0]: v for v in found if v.kind == "contacts.riskperson"})
            self.partial += 1
        self.mark = _Mark(now=now, day=clock.day_of(now), tops=tops)
        stays = [v for v in found if v.kind != "contacts.riskperson"]
        return stays + [self.plans[pk] for pk in sorted(self.plans)]


def watches() -> dict:
    """The incremental checks by invariant name (invariants.Watch uses them in place of the full ones)."""
    return {"no_red_or_sealed_passage": PassageWatch(), "no_early_end_without_reason": ReleaseWatch()}
