"""Invariants of the platform's records, checked in the digital twin (every simulated hour with
`cordon sim run --invariants`) and on any database (`cordon invariants`).

Each check is a handful of set-based queries (GROUP BY, EXISTS subqueries), never a loop over people, and
returns the violations with the objects involved: `Violation(invariant, kind, ids, detail)` where `kind`
is the model label (`quarantine.stay`) and `ids` its primary keys (the person's id is in `detail`).

What is read, per invariant (imported, not looked up: a renamed model or selector breaks a test here):
- one_room_per_person, one_active_measure_per_kind: quarantine Stay, contacts RiskPerson;
- no_child_or_dependent_alone: quarantine Stay/Room, people Person, rule set quarantine.child_age_limit and
  quarantine.dependent_flags;
- no_red_or_sealed_passage: checkpoints Inspection (direction out; passed, or refused and overridden), community
  EntranceLog (direction out), status StatusChange (colour at the passage when the row recorded none), rule set
  status.no_exit_colours, zones Zone/ZoneHousehold (kinds of rank 2 and up in the zone's rule set: sealed/controlled,
  high/medium: nobody leaves), the override (reason; overridden_by / recorded_by holding an accounts Post whose role
  grants checkpoints.override / community.override over the region, or a system actor in the audit entry);
- forecast_within_population: surveillance.selectors.forecast_latest against the region's population;
- rt_hidden_when_uncertain: surveillance RtEstimate (CV = std / mean of the stored posterior) as shown through
  surveillance.selectors.rt_row (estimable or hidden) with rt_thresholds (rule set surveillance.rt_max_cv);
- no_early_end_without_reason: Stay released before planned_end without a release_note; RiskPerson released
  on or before its measures_end whose release audit entry gives no reason but the default "criteria met";
- room_occupant_under_measure, room_status_matches_stays: Stay in a room vs an active measure (status reason
  or a plan under measures), Room.status vs the active stays in it;
- figures_agree: reports.metrics.figures (dashboard, daily report, bulletins) against the quarantine selectors for
  the same cut-off: free and occupied rooms (dashboard_figures, room_figures), people in a site, at home and due for a site
  (people_in_measures, the one definition: stays with status in; the queue).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat, Trim, TruncDate

from cordon.accounts.models import Post
from cordon.checkpoints.models import Inspection
from cordon.community.models import EntranceLog
from cordon.contacts.models import RiskPerson
from cordon.core import access, clock, policy
from cordon.core.models import AuditEntry, RuleSet
from cordon.people.models import Person
from cordon.quarantine import selectors as quarantine_selectors
from cordon.quarantine.enums import ACTIVE_STAY, RoomStatus, StayStatus
from cordon.quarantine.models import PlacementRequest, Room, Stay
from cordon.regions.models import Region
from cordon.reports import metrics
from cordon.status.models import StatusChange, StatusReason
from cordon.surveillance import selectors as surveillance_selectors
from cordon.surveillance.models import RtEstimate
from cordon.zones.enums import ZoneStatus
from cordon.zones.models import Zone, ZoneHousehold
from cordon.zones.rules import rank as zone_rules_rank

SYSTEM = access.system("sim")
MEASURE_REASONS = metrics.MEASURE_REASONS
DEFAULT_RELEASE_WHY = ("", "criteria met")


@dataclass(frozen=True)
class Violation:
    invariant: str
    kind: str
    ids: tuple
    detail: str

    @property
    def key(self) -> tuple:
        return (self.invariant, self.kind, self.ids, self.detail)

    def as_dict(self) -> dict:
        return {**asdict(self), "ids": list(self.ids)}


def _v(name: str, kind: str, ids, detail: str) -> Violation:
    return Violation(name, kind, tuple(sorted(int(i) for i in ids)), detail)


# --------------------------------------------------------------------------- people and rooms
def one_room_per_person(*, actor, now: dt.datetime) -> list[Violation]:
    """Nobody holds active stays in two rooms."""
    people = (Stay.objects.filter(status__in=ACTIVE_STAY, room__isnull=False).values("person_id")
              .annotate(n=Count("room_id", distinct=True)).filter(n__gt=1).values_list("person_id", flat=True))
    rows = defaultdict(list)
    for pk, person_id, room_id in (Stay.objects.filter(status__in=ACTIVE_STAY, room__isnull=False, person_id__in=people)
                                   .values_list("pk", "person_id", "room_id")):
        rows[person_id].append((pk, room_id))
    return [_v("one_room_per_person", "quarantine.stay", [s for s, _r in stays],
               f"person {pid} in rooms {sorted({r for _s, r in stays})}") for pid, stays in sorted(rows.items())]


def one_active_measure_per_kind(*, actor, now: dt.datetime) -> list[Violation]:
    """Nobody has two active stays of one kind, nor two plans under measures of one category."""
    out = []
    dup = (Stay.objects.filter(status__in=ACTIVE_STAY).values("person_id", "kind").annotate(n=Count("id"))
           .filter(n__gt=1).values_list("person_id", "kind"))
    keys = set(dup)
    if keys:
        groups = defaultdict(list)
        for pk, pid, kind in (Stay.objects.filter(status__in=ACTIVE_STAY, person_id__in={p for p, _k in keys})
                              .values_list("pk", "person_id", "kind")):
            if (pid, kind) in keys:
                groups[(pid, kind)].append(pk)
        out += [_v("one_active_measure_per_kind", "quarantine.stay", ids, f"person {pid}: {len(ids)} active {kind} stays")
                for (pid, kind), ids in sorted(groups.items())]
    dup = (RiskPerson.objects.filter(status="under_measures").values("person_id", "category").annotate(n=Count("id"))
           .filter(n__gt=1).values_list("person_id", "category"))
    keys = set(dup)
    if keys:
        groups = defaultdict(list)
        for pk, pid, cat in (RiskPerson.objects.filter(status="under_measures", person_id__in={p for p, _c in keys})
                             .values_list("pk", "person_id", "category")):
            if (pid, cat) in keys:
                groups[(pid, cat)].append(pk)
        out += [_v("one_active_measure_per_kind", "contacts.riskperson", ids,
                   f"person {pid}: {len(ids)} {cat} plans under measures") for (pid, cat), ids in sorted(groups.items())]
    return out


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def no_child_or_dependent_alone(*, actor, now: dt.datetime) -> list[Violation]:
    """No child under the rule set's child_age_limit, nor a dependent person, alone in a quarantine room."""
    today = clock.day_of(now)
    q = policy.in_force(today).section("quarantine")
    limit = int(q.get("child_age_limit", 14))
    flags = [f for f in q.get("dependent_flags", ["disability"]) if f in {fl.name for fl in Person._meta.fields}]
    born_after = _years_before(today, limit)
    vulnerable = Q(person__birth_date__gt=born_after)
    for f in flags:
        vulnerable |= Q(**{f"person__{f}": True})
    others = Stay.objects.filter(room_id=OuterRef("room_id"), status__in=ACTIVE_STAY).exclude(pk=OuterRef("pk"))
    rows = (Stay.objects.filter(status=StayStatus.IN, room__isnull=False).filter(vulnerable).filter(~Exists(others))
            .values_list("pk", "person_id", "room_id", "person__birth_date", *[f"person__{f}" for f in flags]))
    out = []
    for pk, pid, room_id, born, *fl in rows:
        why = [f"under {limit} (born {born.isoformat()})"] if born > born_after else []
        why += [f for f, on in zip(flags, fl, strict=True) if on]
        out.append(_v("no_child_or_dependent_alone", "quarantine.stay", [pk],
                      f"person {pid} alone in room {room_id}: {', '.join(why)}"))
    return out


def room_occupant_under_measure(*, actor, now: dt.datetime) -> list[Violation]:
    """Everyone in a quarantine room is a person under a measure (an active measure reason or a plan under measures)."""
    reason = StatusReason.objects.filter(person_id=OuterRef("person_id"), active=True, reason__in=MEASURE_REASONS)
    plan = RiskPerson.objects.filter(person_id=OuterRef("person_id"), status="under_measures")
    rows = (Stay.objects.filter(status=StayStatus.IN, room__isnull=False).filter(~Exists(reason) & ~Exists(plan))
            .values_list("pk", "person_id", "room_id", "category"))
    return [_v("room_occupant_under_measure", "quarantine.stay", [pk],
               f"person {pid} in room {room} ({cat or 'no category'}) is under no measure") for pk, pid, room, cat in rows]


def room_status_matches_stays(*, actor, now: dt.datetime) -> list[Violation]:
    """A room with someone in it is occupied; an occupied room has someone expected or in it."""
    active = Stay.objects.filter(room_id=OuterRef("pk"), status__in=ACTIVE_STAY)
    inside = Stay.objects.filter(room_id=OuterRef("pk"), status=StayStatus.IN)
    out = [_v("room_status_matches_stays", "quarantine.room", [pk], f"room {pk} is occupied with nobody expected or in it")
           for pk in Room.objects.filter(status=RoomStatus.OCCUPIED).filter(~Exists(active)).values_list("pk", flat=True)]
    out += [_v("room_status_matches_stays", "quarantine.room", [pk], f"room {pk} is {st} with someone in it")
            for pk, st in Room.objects.exclude(status=RoomStatus.OCCUPIED).filter(Exists(inside)).values_list("pk", "status")]
    return out


# --------------------------------------------------------------------------- passages
def _red_at(field: str):
    """The person's (person_id) colour at the instant `field`, from the colour history (last change at or before it)."""
    last = (StatusChange.objects.filter(person_id=OuterRef("person_id"), at__lte=OuterRef(field))
            .order_by("-at", "-pk").values("colour_to")[:1])
    return Subquery(last)


def _sealed_at(field: str, levels: list[str]):
    """Exists: the person's household was in a zone of a kind nobody leaves at the instant `field`."""
    return Exists(ZoneHousehold.objects.filter(
        household_id=OuterRef("person__household_id"), active=True, zone__kind__in=levels,
        zone__in_force_at__lte=OuterRef(field)).exclude(zone__status=ZoneStatus.CANCELLED).filter(
        Q(zone__lifted_at__isnull=True) | Q(zone__lifted_at__gt=OuterRef(field))))


def _confining_kinds(now: dt.datetime) -> set[str]:
    """Zone kinds nobody leaves (rank 2 and up: sealed/controlled, high/medium) in the rule sets of the zones and in force."""
    codes = set(Zone.objects.values_list("ruleset", flat=True).distinct()) | {policy.in_force(clock.day_of(now)).code}
    kinds = set()
    for code in codes - {""}:
        try:
            zone_rules = policy.by_code(code).section("zones")
        except RuleSet.DoesNotExist:  # a zone naming a rule set this database has not got
            continue
        kinds |= {k for k in zone_rules.get("kinds") or {} if zone_rules_rank(zone_rules, k) >= 2}
    return kinds


def _no_exit_colours(now: dt.datetime) -> list[str]:
    """Colours that may not leave (the rule set's status.no_exit_colours, red always among them)."""
    return sorted({"red", *(policy.in_force(clock.day_of(now)).get("status.no_exit_colours", ["red", "yellow"]) or [])})


def _authorised(user_field: str, perm: str, action: str, model) -> Exists | Q:
    """Q: the override on this row was made by an authorised role: the user named in `user_field` is an active
    superuser or holds an active post whose role grants `perm` over the row's region; with no user recorded, the
    override's audit entry (`action`) names a system actor (the platform itself holds the commander's grants)."""
    roles = [code for code in access.ROLES if access.role_grants(code, perm)]
    post = (Post.objects.filter(user_id=OuterRef(user_field), active=True, user__is_active=True, role__in=roles)
            .annotate(target=Concat(OuterRef("region_path"), Value("."), output_field=CharField()),
                      area=Concat(F("region__path"), Value("."), output_field=CharField()))
            .filter(target__startswith=F("area")))
    superuser = get_user_model().objects.filter(pk=OuterRef(user_field), is_active=True, is_superuser=True)
    by_system = AuditEntry.objects.filter(action=action, object_type=model._meta.label_lower, actor_id__isnull=True,
                                          actor_label__startswith="system:", object_id=Cast(OuterRef("pk"), CharField()))
    return Exists(post) | Exists(superuser) | (Q(**{f"{user_field}__isnull": True}) & Exists(by_system))


def _only(qs, ids):
    """The queryset restricted to the given ids (None: not restricted; empty: no row)."""
    return qs if ids is None else qs.filter(pk__in=list(ids))


def no_red_or_sealed_passage(*, actor, now: dt.datetime, inspections=None, logs=None) -> list[Violation]:
    """Nobody whose colour may not leave (red, and the rule set's no_exit_colours: yellow), and nobody from a zone
    nobody leaves, goes out through a checkpoint or a compound gate, unless an authorised role overrode the refusal
    with a reason (medical emergency, childbirth, dialysis).

    Only outward passages count (Inspection.direction "out", EntranceLog direction "out"). A checkpoint passage is
    an inspection that passed, or a refused one overridden (overridden_at); a gate exit is an EntranceLog row (the
    service refuses the exit before writing one). The override counts when it gives a reason and was made by a role
    holding checkpoints.override / community.override over the passage's region (see _authorised).

    `inspections` / `logs`: only these rows (ids) of each table, the others not read (sim.watermarks: the rows
    new or changed since the last check); None: every row."""
    levels = sorted(_confining_kinds(now))
    colours = _no_exit_colours(now)
    out = []
    insp = (_only(Inspection.objects.filter(direction="out", person__isnull=False, at__lte=now), inspections)
            .filter(Q(result="pass") | Q(overridden_at__isnull=False, overridden_at__lte=now))
            .annotate(why=Trim("override_reason"))
            .annotate(hist=_red_at("at"), sealed=_sealed_at("at", levels),
                      allowed=ExpressionWrapper(~Q(why="") & Q(overridden_at__isnull=False)
                                                & _authorised("overridden_by_id", "checkpoints.override",
                                                              "checkpoint.override", Inspection),
                                                output_field=BooleanField()))
            .filter(Q(colour__in=colours) | Q(colour="", hist__in=colours) | Q(sealed=True)).filter(allowed=False)
            .order_by("pk")
            .values_list("pk", "person_id", "checkpoint_id", "colour", "hist", "sealed", "overridden_at", "override_reason"))
    for pk, pid, cp, colour, hist, _sealed, overridden, why_over in insp:
        seen = colour or hist
        why = seen if seen in colours else "from a zone nobody leaves"
        over = ("no override" if overridden is None else "override without a reason" if not why_over.strip()
                else "override by a role not authorised")
        out.append(_v("no_red_or_sealed_passage", "checkpoints.inspection", [pk],
                      f"person {pid} went out through checkpoint {cp}: {why}, {over}"))
    rows = (_only(EntranceLog.objects.filter(direction="out", person__isnull=False, at__lte=now), logs)
            .annotate(why=Trim("override_reason"))
            .annotate(hist=_red_at("at"), sealed=_sealed_at("at", levels),
                      allowed=ExpressionWrapper(~Q(why="") & _authorised(
                          "recorded_by_id", "community.override", "entrance.override", EntranceLog),
                          output_field=BooleanField()))
            .filter(Q(colour__in=colours) | Q(colour="", hist__in=colours) | Q(sealed=True)).filter(allowed=False)
            .order_by("pk").values_list("pk", "person_id", "compound", "colour", "hist", "sealed", "override_reason"))
    for pk, pid, compound, colour, hist, _sealed, why_over in rows:
        seen = colour or hist
        why = seen if seen in colours else "from a zone nobody leaves"
        over = "no override" if not why_over.strip() else "override by a role not authorised"
        out.append(_v("no_red_or_sealed_passage", "community.entrancelog", [pk],
                      f"person {pid} left compound {compound}: {why}, {over}"))
    return out


# --------------------------------------------------------------------------- surveillance
def forecast_within_population(*, actor, now: dt.datetime) -> list[Violation]:
    """No forecast value (median, upper, or the cumulative median) above the region's population."""
    out = []
    for f in surveillance_selectors.forecast_latest(actor=actor):
        pop = f.region.population
        worst = []
        total = 0.0
        for d in f.days or []:
            total += float(d.get("median") or 0)
            for key in ("median", "upper"):
                if d.get(key) is not None and float(d[key]) > pop:
                    worst.append(f"{key} {float(d[key]):.0f} on {d.get('date')}")
        if total > pop:
            worst.append(f"cumulative median {total:.0f}")
        if worst:
            out.append(_v("forecast_within_population", "surveillance.forecast", [f.pk],
                          f"{f.region_path} made {f.made_on}: population {pop}, " + "; ".join(worst[:3])))
    return out


def rt_hidden_when_uncertain(*, actor, now: dt.datetime) -> list[Violation]:
    """No Rt estimate shown whose stored posterior coefficient of variation (std / mean) is the rule set's
    surveillance.rt_max_cv (0.3) or more.

    Every page and API shows an estimate through surveillance.selectors.rt_row, which hides it unless the window's
    cases make it estimable; the uncertain stored rows are found in SQL and each is put through rt_row: one the
    platform would show is a violation, one it hides (mean None) is not. rt_row decides that from the window's
    cases (and the thresholds) alone, so one row per distinct case count is put through it, and only the rows of
    the counts it shows are read in full (the uncertain rows grow with every day's estimates)."""
    th = surveillance_selectors.rt_thresholds(clock.day_of(now))
    uncertain = (RtEstimate.objects.visible_to(actor, "view")
                 .filter(Q(mean__lte=0) | Q(std__gte=th["max_cv"] * F("mean"))))
    shown = [n for n in uncertain.order_by("cases").values_list("cases", flat=True).distinct()
             if surveillance_selectors.rt_row(uncertain.filter(cases=n).select_related("region").first(), **th)["estimable"]]
    out = []
    for r in uncertain.filter(cases__in=shown).select_related("region").order_by("pk") if shown else ():
        cv = r.std / r.mean if r.mean > 0 else float("inf")
        out.append(_v("rt_hidden_when_uncertain", "surveillance.rtestimate", [r.pk],
                      f"{r.region_path} to {r.date_end}: Rt {r.mean:.2f} shown, CV {cv:.2f} from {r.cases} cases"))
    return out


# --------------------------------------------------------------------------- measures
def no_early_end_without_reason(*, actor, now: dt.datetime, plans=None) -> list[Violation]:
    """No stay released before its planned end, and no plan released by its end, without a documented reason.

    `plans`: only these released plans (ids) are read (sim.watermarks); None: every plan."""
    tz = clock.zone()
    out = [_v("no_early_end_without_reason", "quarantine.stay", [pk],
              f"person {pid}: {kind} stay released {day} before its planned end {end} without a note")
           for pk, pid, kind, day, end in (
               Stay.objects.filter(status=StayStatus.RELEASED, released_at__isnull=False, release_note="")
               .annotate(day=TruncDate("released_at", tzinfo=tz)).filter(day__lt=F("planned_end"))
               .values_list("pk", "person_id", "kind", "day", "planned_end"))]
    # A plan's release is documented by its audit entry's reason (changes.why), read in SQL: one query, however
    # many plans were released.
    documented = (AuditEntry.objects.filter(action="contacts.release", object_type=RiskPerson._meta.label_lower,
                                            object_id=Cast(OuterRef("pk"), CharField()))
                  .annotate(why=Trim(KT("changes__why"))).filter(why__isnull=False).exclude(why__in=DEFAULT_RELEASE_WHY))
    out += [_v("no_early_end_without_reason", "contacts.riskperson", [pk],
               f"person {pid}: plan released {day}, its measures run until {end}, no reason given")
            for pk, pid, day, end in (
                _only(RiskPerson.objects.filter(status="released", released_at__isnull=False,
                                                measures_end__isnull=False), plans)
                .annotate(day=TruncDate("released_at", tzinfo=tz)).filter(day__lte=F("measures_end"))
                .filter(~Exists(documented)).order_by("pk").values_list("pk", "person_id", "day", "measures_end"))]
    return out


# --------------------------------------------------------------------------- figures
def figures_agree(*, actor, now: dt.datetime) -> list[Violation]:
    """The dashboard/report/bulletin figures (reports.metrics) equal the quarantine selector's for the same cut-off."""
    root = Region.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        return []
    # Only the providers of the figures compared below (the same functions figures() runs for the dashboard):
    # the other counts (samples, tubes, self-reports, tasks...) take most of the time and are not compared.
    fig = metrics.figures(region_path=root.path, cut_off=now, providers=metrics.QUARANTINE_PROVIDERS)
    free = quarantine_selectors.room_figures(actor=actor)["free"]  # the dashboard's free rooms (dashboard_figures)
    people = quarantine_selectors.people_in_measures(actor=actor, region_path=root.path, cut_off=now)
    pairs = []
    if fig.get("quarantine_rooms") is not None:
        rooms = quarantine_selectors.room_figures(actor=actor, region_path=root.path)
        pairs.append(("free rooms", fig["quarantine_free"], free))
        pairs.append(("occupied rooms", fig["quarantine_occupied"], rooms["occupied"]))
    if fig.get("measure_centralized_quarantine") is not None:
        pairs.append(("people in centralized quarantine", fig["measure_centralized_quarantine"], people["centralized"]))
        pairs.append(("people in home isolation or monitoring",
                      fig["measure_home_isolation"] + fig["measure_home_monitoring"],
                      people["home_isolation"] + people["home_monitoring"]))
        pairs.append(("people due for a site, not in one", fig["measure_awaiting_site"], people["awaiting_site"]))
    return [_v("figures_agree", "regions.region", [root.pk],
               f"{label} at {now.isoformat()}: dashboard metric {a}, quarantine selector {b}")
            for label, a, b in pairs if a != b]


INVARIANTS = {
    "one_room_per_person": one_room_per_person,
    "one_active_measure_per_kind": one_active_measure_per_kind,
    "no_child_or_dependent_alone": no_child_or_dependent_alone,
    "no_red_or_sealed_passage": no_red_or_sealed_passage,
    "forecast_within_population": forecast_within_population,
    "rt_hidden_when_uncertain": rt_hidden_when_uncertain,
    "no_early_end_without_reason": no_early_end_without_reason,
    "room_occupant_under_measure": room_occupant_under_measure,
    "room_status_matches_stays": room_status_matches_stays,
    "figures_agree": figures_agree,
}


def check(*, actor, now: dt.datetime | None = None, only: list[str] | None = None,
          seconds: dict[str, float] | None = None, using: dict | None = None) -> dict[str, list[Violation]]:
    """{invariant: [violations]} of the records as they are now (time spent per invariant added to `seconds`);
    `using`: checks to run in place of some invariants' full ones (sim.watermarks: the same verdicts, read
    incrementally)."""
    now = now or clock.now()
    out = {}
    for name in only or list(INVARIANTS):
        started = time.perf_counter()
        out[name] = (using or {}).get(name, INVARIANTS[name])(actor=actor, now=now)
        if seconds is not None:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
    return out


def data_version() -> int | None:
    """A number that changes with every row this connection writes (SQLite: total_changes; PostgreSQL: the open
    transaction's insert/update/delete counters); None where neither is available."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
            return int(cur.fetchone()[0])
    return None


def _timed_between(since: dt.datetime, until: dt.datetime) -> bool:
    """Rows whose time compared with `now` by an invariant falls in (since, until]: written earlier with a time
    still to come, they change what a check at `until` sees although nothing was written in between."""
    window = {"__gt": since, "__lte": until}
    timed = [(Inspection, "at"), (Inspection, "overridden_at"), (EntranceLog, "at"), (Stay, "created_at"),
             (PlacementRequest, "created_at")]
    return any(model.objects.filter(**{f + k: v for k, v in window.items()}).exists() for model, f in timed)


class Watch:
    """Hourly checks in one connection (the twin): the checks run again only when something they read may have
    changed since the last run: a row written on this connection (data_version), a new city day (ages, the rule set
    in force), or a row timed between the two instants (_timed_between); otherwise the last result stands, as it
    is what the queries would return."""

    def __init__(self, using: dict | None = None):
        self.runs = 0
        self.reused = 0
        self.using = using or {}  # check(using=...): incremental checks of some invariants (sim.watermarks.watches)
        self._last: tuple | None = None  # (data version, city day, now, result)

    def check(self, *, actor, now: dt.datetime, seconds: dict[str, float] | None = None) -> dict[str, list[Violation]]:
        """check() at `now`, or the last result when nothing it reads can have changed."""
        version = data_version()
        last = self._last
        if (last is not None and version is not None and version == last[0] and clock.day_of(now) == last[1]
                and now >= last[2] and not _timed_between(last[2], now) and data_version() == version):
            self.reused += 1
            return last[3]
        result = check(actor=actor, now=now, seconds=seconds, using=self.using)
        self.runs += 1
        self._last = (data_version(), clock.day_of(now), now, result)
        return result


class Tally:
    """Distinct violations seen over many checks (a violation that persists for hours counts once)."""

    def __init__(self, using: dict | None = None):
        self.checks = 0
        self.seen: dict[str, dict[tuple, Violation]] = {name: {} for name in INVARIANTS}
        self.last: dict[str, int] = {name: 0 for name in INVARIANTS}
        self.seconds: dict[str, float] = {name: 0.0 for name in INVARIANTS}  # check(seconds=tally.seconds)
        self.watch = Watch(using)  # the twin's hourly checks: tally.add(tally.watch.check(...))

    def add(self, result: dict[str, list[Violation]]) -> list[Violation]:
        """Count one check; returns the violations not seen at an earlier check."""
        self.checks += 1
        fresh = []
        for name, items in result.items():
            self.last[name] = len(items)
            for v in items:
                if v.key not in self.seen[name]:
                    self.seen[name][v.key] = v
                    fresh.append(v)
        return fresh

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.seen.items()}

    def summary(self, *, examples: int = 3) -> dict:
        return {"invariants_checked": list(INVARIANTS), "invariant_checks": self.checks, "violations": self.counts(),
                "violations_total": sum(self.counts().values()), "violations_at_end": dict(self.last),
                "invariant_seconds": {name: round(s, 1) for name, s in self.seconds.items()},
                "invariant_runs": self.watch.runs, "invariant_checks_unchanged": self.watch.reused,
                "violation_examples": {name: [v.as_dict() for v in list(items.values())[:examples]]
                                       for name, items in self.seen.items() if items}}
