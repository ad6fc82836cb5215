"""`cordon bench spacetime --people N [--cases K] [--baseline-cases B]`: on the bench city (with presence
synthesized from its check-ins and homes when missing), the time of companions_for_case for K random
residents taken as cases (window: 4 days ending at a random time of the last 3 days of data, the
protocol-9 tracing rules), with full evidence and with other_hours=False. Baseline in the same run: the same rule as a row-by-row scan with ORM objects
(selectors.companions_naive) on the first B of those cases, whose companion sets must match."""

import datetime as dt
import random
import time
from types import SimpleNamespace

from django.db import connection
from django.db.models import Max

from cordon.bench.base import SYSTEM, OnCityBench, percentile
from cordon.core import policy
from cordon.core.figures import print_json, print_table
from cordon.people.models import Person
from cordon.spacetime import selectors, services
from cordon.spacetime.models import CellPresence, PresenceBatch


class SpacetimeBench(OnCityBench):
    name = "spacetime"
    help = "time-space companions of a case: set-based identification vs a row-by-row scan"

    arguments = {
        "cases": 120,
        "baseline-cases": 10,
        "seed": 7,
        "resynthesize": False,
    }

    # long: a benchmark script: its phases print one table and one JSON line in order
    def measure(self, options: dict, stdout, city: dict) -> dict:
        people = options["people"]
        synth_s = None
        have = PresenceBatch.objects.filter(kind="synthetic", source="synthetic").order_by("-id").first()
        if options.get("resynthesize") or have is None or not CellPresence.objects.filter(source="synthetic").exists():
            stdout.write("synthesizing presence for the bench city...\n")
            stdout.flush()
            t = time.perf_counter()
            services.presence_synthesize(actor=SYSTEM, progress=lambda text: stdout.write(f"  {text}\n"))
            synth_s = time.perf_counter() - t
            services.presence_vacuum()
            have = PresenceBatch.objects.filter(kind="synthetic", source="synthetic").order_by("-id").first()
        rows = have.stored
        data_end = PresenceBatch.objects.filter(pk=have.pk).aggregate(m=Max("last_end"))["m"]
        tracing = policy.by_code("protocol-9").section("tracing")
        rng = random.Random(options["seed"])
        pk_lo, pk_hi = min(Person.objects.values_list("pk", flat=True)[:1]), Person.objects.order_by("-pk").values_list("pk", flat=True)[0]
        cases = []
        for _ in range(options["cases"]):
            end = data_end - dt.timedelta(hours=1) - dt.timedelta(seconds=rng.randrange(3 * 86_400))
            cases.append((SimpleNamespace(person_id=rng.randint(pk_lo, pk_hi)), end - dt.timedelta(days=4), end))
        # warm-up (page cache), not timed
        for case, start, end in cases[:5]:
            selectors.companions_for_case(case=case, start=start, end=end, tracing=tracing, exclude=set())
        times, found, quick = [], [], []
        for case, start, end in cases:  # both modes alternate case by case, so machine load hits them alike
            t = time.perf_counter()
            out = selectors.companions_for_case(case=case, start=start, end=end, tracing=tracing, exclude=set())
            times.append((time.perf_counter() - t) * 1000)
            found.append(len(out))
            t = time.perf_counter()
            selectors.companions_for_case(case=case, start=start, end=end, tracing=tracing, exclude=set(), other_hours=False)
            quick.append((time.perf_counter() - t) * 1000)
        base_times, agree = [], 0
        for case, start, end in cases[:options["baseline_cases"]]:
            t = time.perf_counter()
            naive = selectors.companions_naive(case=case, start=start, end=end, tracing=tracing, exclude=set())
            base_times.append((time.perf_counter() - t) * 1000)
            fast = selectors.companions_for_case(case=case, start=start, end=end, tracing=tracing, exclude=set())
            agree += set(naive) == set(fast)
        result = {
            "bench": "spacetime", "people": people, "rows": rows, "cases": len(times),
            "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2), "decision_only_p50_ms": round(percentile(quick, 50), 2),
            "decision_only_p95_ms": round(percentile(quick, 95), 2), "companions_mean": round(sum(found) / len(found), 1),
            "baseline": "row-by-row ORM scan (companions_naive)", "baseline_cases": len(base_times),
            "baseline_p50_ms": round(percentile(base_times, 50), 2) if base_times else None,
            "baseline_p95_ms": round(percentile(base_times, 95), 2) if base_times else None,
            "baseline_same_result": f"{agree}/{len(base_times)}", "db": connection.vendor,
        }
        if synth_s is not None:
            result["synthesize_s"] = round(synth_s, 1)
        table = [
            ("database", f"{connection.vendor} {connection.settings_dict['NAME']}"),
            ("residents", people), ("presence rows", rows), ("cases timed", len(times)),
            ("p50 (ms)", result["p50_ms"]), ("p95 (ms)", result["p95_ms"]), ("max (ms)", result["max_ms"]),
            ("other_hours=False p50 (ms)", result["decision_only_p50_ms"]), ("other_hours=False p95 (ms)", result["decision_only_p95_ms"]),
            ("companions per case (mean)", result["companions_mean"]),
            (f"baseline p50 (ms, {len(base_times)} cases)", result["baseline_p50_ms"] or 0.0),
            ("baseline p95 (ms)", result["baseline_p95_ms"] or 0.0),
            ("baseline finds the same people", result["baseline_same_result"]),
        ]
        if synth_s is not None:
            table.append(("presence synthesis (s)", synth_s))
        print_table(stdout, table, title=f"spacetime bench: {people:,} residents, companions_for_case over {len(times)} cases")
        print_json(stdout, result)
        return result


BENCHES = {"spacetime": SpacetimeBench()}
