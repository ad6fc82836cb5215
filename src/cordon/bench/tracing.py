"""`cordon bench tracing --people N`: close + secondary contact identification for newly confirmed cases.

Each sampled person becomes a case confirmed a few hours after one of their own check-ins; the timed
parts are identify (window, the case's stays, the indexed per-stay venue and unit queries, overlaps,
household and secondary contacts: the figure the target is about) and, separately, contacts_identify
(the same plus writing the proposals with their evidence); identify's CPU time is reported too (cpu_p50_ms,
cpu_p95_ms: on SQLite the database works in this process, so it is the case's cost whatever else shares the
cores). Everything runs inside one transaction
that is rolled back, so the bench database keeps only the city. The baseline, timed in the same run
on the first cases, fetches each venue's whole 14-day history and filters in Python (what a query
without the time-bounded index range would do); on the same cases a plain reference of the secondary contacts
(one ORM query per close contact and stay) is timed and its set compared with identify's (secondary_same_sets)."""

import datetime as dt
import gc
import random
import time

from django.db import connection, transaction
from django.db.models import Max

from cordon.bench.base import SYSTEM, OnCityBench, Rollback, Timer, percentile
from cordon.cases import rules
from cordon.cases import services as case_services
from cordon.cases.models import Case
from cordon.contacts import services as contact_services
from cordon.contacts.enums import Category
from cordon.contacts.models import RiskPerson
from cordon.core import clock, policy
from cordon.core.figures import print_json, print_table
from cordon.core.models import AuditEntry, RuleSet, RuleSetAdoption
from cordon.core.vacuum import vacuum_analyze
from cordon.people.models import Person
from cordon.status.models import HealthStatus, StatusChange, StatusReason
from cordon.venues.models import CheckIn


class TracingBench(OnCityBench):
    name = "tracing"
    help = "time close + secondary contact identification per newly confirmed case"

    arguments = {
        "cases": 120,
        "baseline-cases": 20,
        "seed": 7,
        "ruleset": ("protocol-9", "rule set put in force for the run (protocol-9 identifies secondary contacts)"),
    }

    def measure(self, options: dict, stdout, city: dict) -> dict:
        people = options["people"]
        with Timer() as warm:
            warmed = _warm_cache()
        stdout.write(f"warmed the cache ({warmed}) in {warm.seconds:.1f} s, as a running server's would be\n")
        policy.sync_fixtures()
        rng = random.Random(options["seed"])
        checkins = CheckIn.objects.count()
        max_id = CheckIn.objects.aggregate(m=Max("id"))["m"] or 0
        now = clock.now()
        picks, seen = [], set()
        while len(picks) < options["cases"] and max_id:
            row = CheckIn.objects.filter(id__gte=rng.randint(1, max_id)).order_by("id").values("person_id", "time_out").first()
            if row and row["person_id"] not in seen:
                seen.add(row["person_id"])
                picks.append(row)
        times, cpu_times, writes, baseline, found, general, checks = [], [], [], [], [], [], []
        try:
            with transaction.atomic():
                RuleSetAdoption.objects.create(ruleset=RuleSet.objects.get(code=options["ruleset"]),
                                               effective_from=clock.today() - dt.timedelta(days=400), note="bench")
                policy.clear_cache()
                for i, row in enumerate(picks):
                    confirmed = min(row["time_out"] + dt.timedelta(hours=rng.randint(2, 30)), now)
                    case = Case.objects.filter(person_id=row["person_id"]).first() or case_services.case_report(
                        actor=SYSTEM, person_id=row["person_id"], kind="confirmed", found_by="fever_clinic", confirmed_at=confirmed,
                        onset_date=clock.day_of(confirmed) - dt.timedelta(days=1), source=f"bench.tracing:{i}")
                    case = Case.objects.select_related("person").get(pk=case.pk)
                    wall, cpu = _identify_ms(case)
                    times.append(wall)
                    cpu_times.append(cpu)
                    with Timer() as w:
                        counts = contact_services.contacts_identify(actor=SYSTEM, case=case)
                    writes.append(w.seconds * 1000)
                    found.append(counts.get("close_contact", 0) + counts.get("secondary_contact", 0))
                    general.append(counts.get("general_contact", 0))
                    if i < options["baseline_cases"]:
                        with Timer() as b:
                            _naive_close_contacts(case)
                        baseline.append(b.seconds * 1000)
                        checks.append(_check_secondary(case, now=now))
                raise Rollback
        except Rollback:
            pass
        _vacuum_after_rollback()
        result = {"people": people, "checkins": checkins, "cases": len(times),
                  "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                  "max_ms": round(max(times, default=0), 2),
                  "cpu_p50_ms": round(percentile(cpu_times, 50), 2), "cpu_p95_ms": round(percentile(cpu_times, 95), 2),
                  "with_write_p50_ms": round(percentile(writes, 50), 2), "with_write_p95_ms": round(percentile(writes, 95), 2),
                  "contacts_p50": percentile(found, 50), "contacts_p95": percentile(found, 95), "contacts_max": max(found, default=0),
                  "general_contacts_p50": percentile(general, 50),
                  "baseline_cases": len(baseline), "baseline_p50_ms": round(percentile(baseline, 50), 2),
                  "baseline_p95_ms": round(percentile(baseline, 95), 2),
                  **_secondary_figures(checks), "ruleset": options["ruleset"]}
        policy.clear_cache()
        print_table(stdout, list(result.items()), title=f"tracing: close + secondary contacts per new case ({people:,} residents)")
        print_json(stdout, result)
        return result


def _identify_ms(case) -> tuple[float, float]:
    """identify's wall-clock and CPU time (ms) for a case: the CPU time of this process (SQLite works in it) is what
    the case costs when other work shares the cores. The garbage of the previous case's writes and checks is
    collected first: otherwise the full collection it sets off (about 220 ms at 100 k) lands in whichever case's
    identify crosses the threshold, a small case as well as a large one; the collections identify's own objects
    set off are still timed."""
    gc.collect()
    cpu = time.process_time()
    with Timer() as t:
        contact_services.identify(case)
    return t.seconds * 1000, (time.process_time() - cpu) * 1000


def _warm_cache() -> str:
    """Read the check-in table and its indexes once (the OS page cache for SQLite, pg_prewarm on PostgreSQL), so
    the timings are those of a server that has been running, not of the first reads from disk after a load."""
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 24):
                size += len(chunk)
        return f"{size / 1e9:.1f} GB file read"
    if connection.vendor == "postgresql":
        table = CheckIn._meta.db_table
        with connection.cursor() as cursor:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            except Exception:  # noqa: BLE001 - contrib not installed: say so, time cold
                return "pg_prewarm unavailable"
            cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", [table])
            names = [table] + [r[0] for r in cursor.fetchall()]
            blocks = 0
            for name in names:
                cursor.execute("SELECT pg_prewarm(%s, 'read')", [name])
                blocks += cursor.fetchone()[0]
        return f"{blocks * 8 / 1e6:.1f} GB prewarmed"
    return "nothing"


def _vacuum_after_rollback() -> None:
    """On PostgreSQL the rolled-back proposals, audit entries and status rows stay as dead tuples until
    autovacuum comes by; vacuum them now so the next benchmark on this database does not scan them."""
    vacuum_analyze(RiskPerson, AuditEntry, HealthStatus, StatusReason, StatusChange, Case)


def _naive_close_contacts(case) -> int:
    """Baseline: every stay at the case's venues over the whole 14 days, overlaps filtered in Python."""
    tracing = policy.in_force(case.confirmed_at).section("tracing")
    start, end = contact_services.case_window(case, tracing)
    mine = list(CheckIn.objects.filter(person_id=case.person_id, time_out__gt=start, time_in__lt=end).values_list("venue_id", "time_in", "time_out"))
    hits = set()
    for venue_id in {v for v, _, _ in mine}:
        spans = [(a, b) for v, a, b in mine if v == venue_id]
        others = CheckIn.objects.filter(venue_id=venue_id).values_list("person_id", "time_in", "time_out")
        hits |= set(rules.venue_contacts(spans, others, buffer_minutes=30, min_overlap_minutes=15))
    return len(hits)


def _check_secondary(case, *, now: dt.datetime) -> tuple[float, bool]:
    """The reference's time (ms) and whether identify's secondary contacts are its set (people who are cases
    themselves left out of both: identify drops those it meets among close and general contacts)."""
    found = contact_services.identify(case, now=now)
    with Timer() as r:
        reference = _reference_secondary(case, found[Category.CLOSE_CONTACT], now=now)
    cases = set(Case.objects.values_list("person_id", flat=True))
    return r.seconds * 1000, set(found.get(Category.SECONDARY_CONTACT, {})) - cases == reference - cases


def _secondary_figures(checks: list[tuple[float, bool]]) -> dict:
    ms = [m for m, _ in checks]
    return {"secondary_baseline_p50_ms": round(percentile(ms, 50), 2), "secondary_baseline_p95_ms": round(percentile(ms, 95), 2),
            "secondary_same_sets": f"{sum(same for _, same in checks)}/{len(checks)}"}


# long: the reference is written out plainly on purpose (one ORM query per stay), so it can be read against the rules
def _reference_secondary(case, close: dict, *, now: dt.datetime) -> set[int]:
    """Reference for the secondary contacts (rules read plainly, one query per close contact and per stay): the
    close contacts' co-residents, and the people who overlapped a close contact's stay at their workplace (in the
    stay's unit, or, for a stay naming no unit, the workplace's own staff there without a unit) between the
    contact's exposure and their isolation at the end of core tracing. The bench checks identify gives this set."""
    tracing = policy.in_force(case.confirmed_at).section("tracing")
    start, end = contact_services.case_window(case, tracing)
    isolated = min(now, end + dt.timedelta(hours=tracing.get("sla_hours", {}).get("core_tracing", 4)))
    sources = set(tracing.get("secondary_from", []))
    exclude = {case.person_id, *close}
    out: set[int] = set()
    for person in Person.objects.filter(pk__in=list(close)).select_related("workplace"):
        if "household" in sources and person.household_id:
            out |= set(Person.objects.filter(household_id=person.household_id).values_list("pk", flat=True))
        venue = person.workplace
        if "workplace" not in sources or venue is None:
            continue
        buffer = dt.timedelta(minutes=rules.kind_value(tracing.get("buffer_minutes", {}), venue.kind))
        minimum = rules.kind_value(tracing.get("min_overlap_minutes", {}), venue.kind)
        since = close[person.pk]["last"]
        for unit_id, t_in, t_out in CheckIn.objects.filter(person=person, venue=venue, time_out__gt=since,
                                                           time_in__lt=isolated).values_list("unit_id", "time_in", "time_out"):
            a, b = max(t_in, since), min(t_out, isolated)
            if b <= a:
                continue
            others = (CheckIn.objects.filter(unit_id=unit_id) if unit_id else
                      CheckIn.objects.filter(venue=venue, unit__isnull=True, person__workplace=venue))
            for pid, o_in, o_out in others.filter(time_in__lt=b + buffer, time_out__gt=a).values_list("person_id", "time_in", "time_out"):
                if pid != person.pk and rules.overlap_minutes(a, b, o_in, o_out, buffer=buffer) * 60 >= minimum * 60:
                    out.add(pid)
    return out - exclude


BENCHES = {"tracing": TracingBench()}
