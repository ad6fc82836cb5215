"""`cordon bench tracing --people N`: close + secondary contact identification for newly confirmed cases.

Each sampled person becomes a case confirmed a few hours after one of their own check-ins; the timed
parts are identify (window, the case's stays, the indexed per-stay venue and unit queries, overlaps,
household and secondary contacts: the figure the target is about) and, separately, contacts_identify
(the same plus writing the proposals with their evidence). Everything runs inside one transaction
that is rolled back, so the bench database keeps only the city. The baseline, timed in the same run
on the first cases, fetches each venue's whole 14-day history and filters in Python (what a query
without the time-bounded index range would do)."""

import datetime as dt
import random

from django.db import connection, transaction
from django.db.models import Max

from cordon.bench.base import SYSTEM, Bench, Rollback, Timer, percentile
from cordon.cases import rules
from cordon.cases import services as case_services
from cordon.cases.models import Case
from cordon.contacts import services as contact_services
from cordon.contacts.models import RiskPerson
from cordon.core import clock, policy
from cordon.core.figures import print_json, print_table
from cordon.core.models import AuditEntry, RuleSet, RuleSetAdoption
from cordon.core.vacuum import vacuum_analyze
from cordon.sim.fixtures import ensure_city
from cordon.status.models import HealthStatus, StatusChange, StatusReason
from cordon.venues.models import CheckIn


class TracingBench(Bench):
    name = "tracing"
    help = "time close + secondary contact identification per newly confirmed case"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--cases", type=int, default=120)
        parser.add_argument("--baseline-cases", type=int, default=20)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--ruleset", default="protocol-9", help="rule set put in force for the run (protocol-9 identifies secondary contacts)")

    def run(self, options: dict, stdout) -> dict:
        people = options["people"]
        ensure_city(people=people, seed=1)
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
        times, writes, baseline, found, general = [], [], [], [], []
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
                    with Timer() as t:
                        contact_services.identify(case)
                    times.append(t.seconds * 1000)
                    with Timer() as w:
                        counts = contact_services.contacts_identify(actor=SYSTEM, case=case)
                    writes.append(w.seconds * 1000)
                    found.append(counts.get("close_contact", 0) + counts.get("secondary_contact", 0))
                    general.append(counts.get("general_contact", 0))
                    if i < options["baseline_cases"]:
                        with Timer() as b:
                            _naive_close_contacts(case)
                        baseline.append(b.seconds * 1000)
                raise Rollback
        except Rollback:
            pass
        _vacuum_after_rollback()
        result = {"people": people, "checkins": checkins, "cases": len(times),
                  "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                  "max_ms": round(max(times, default=0), 2),
                  "with_write_p50_ms": round(percentile(writes, 50), 2), "with_write_p95_ms": round(percentile(writes, 95), 2),
                  "contacts_p50": percentile(found, 50), "contacts_p95": percentile(found, 95), "contacts_max": max(found, default=0),
                  "general_contacts_p50": percentile(general, 50),
                  "baseline_cases": len(baseline), "baseline_p50_ms": round(percentile(baseline, 50), 2),
                  "baseline_p95_ms": round(percentile(baseline, 95), 2), "ruleset": options["ruleset"]}
        policy.clear_cache()
        print_table(stdout, list(result.items()), title=f"tracing: close + secondary contacts per new case ({people:,} residents)")
        print_json(stdout, result)
        return result


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


BENCHES = {"tracing": TracingBench()}
