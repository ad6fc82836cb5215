"""`cordon bench screening --people N`: one full 10-in-1 round for a synthetic city of N residents.

Measured in one run, on the same database:
- plan + publish the round (sites from grids, sizing from the rule set);
- registration of every resident through services.samples_register (the path the API and the
  sampler page use), in batches of 10,000;
- raw baseline: the database's own bulk insert of the same sample rows (executemany on SQLite,
  COPY on PostgreSQL), in the same batch sizes, into the same table and indexes;
- lab results for every tube at ~0.03% positivity, pool decoding (members held, retest tasks),
  single-tube retests and their results (positive retests -> cases when the cases module is there);
- coverage per grid from screening.metrics;
- HTTP: the bulk endpoint under gunicorn (config.wsgi:application) on 127.0.0.1, batches of 1,000
  posted from a thread pool with Idempotency-Keys, bounded in count and time.
"""

import datetime as dt
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext as _

from cordon.accounts import services as account_services
from cordon.bench.base import SYSTEM, OnCityBench, Timer, free_port
from cordon.core import clock
from cordon.core.figures import print_json, print_table
from cordon.core.vacuum import vacuum_analyze
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.screening import demo as screening_demo
from cordon.screening import metrics, services
from cordon.screening.enums import RetestStatus
from cordon.screening.models import LabResult, Retest, Round, Sample, Site, Tube


class _Phase(Timer):
    """A phase's wall time and this process's CPU time (SQLite works in this process; the machine is often loaded)."""

    def __enter__(self):
        self.cpu_start = time.process_time()
        return super().__enter__()

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.cpu = time.process_time() - self.cpu_start

HTTP_BATCH = 1000


def _wipe_bench_rounds() -> None:
    ids = list(Round.objects.filter(name__startswith="bench ").values_list("id", flat=True))
    if not ids:
        return
    marks = ",".join(str(i) for i in ids)
    with transaction.atomic(), connection.cursor() as cur:
        # lab results point at tubes and carry no round: by their tube's round (a second run of the bench)
        cur.execute(f"DELETE FROM {LabResult._meta.db_table} WHERE tube_id IN "
                    f"(SELECT id FROM {Tube._meta.db_table} WHERE round_id IN ({marks}))")
        for model in (Retest, Sample, Tube, Site):
            cur.execute(f"DELETE FROM {model._meta.db_table} WHERE round_id IN ({marks})")
        cur.execute(f"DELETE FROM {Round._meta.db_table} WHERE id IN ({marks})")


def _bench_user():
    User = get_user_model()
    user = User.objects.filter(username="bench-screening").first()
    if user is None:
        user = User.objects.create_superuser("bench-screening", "bench@example.invalid", uuid.uuid4().hex)
    return user


def _plan(user, name: str):
    city = Region.objects.get(parent__isnull=True)
    now = clock.now()
    rnd = services.round_plan(actor=user, name=name, region=city, starts_at=now - dt.timedelta(hours=1),
                              ends_at=now + dt.timedelta(hours=23), pool_size=10)
    return services.round_publish(actor=user, rnd=rnd)


def _items(rnd, tag: str) -> list[dict]:
    """Every resident, in site order, packed into tubes of the site's pool size."""
    residents = Person.objects.order_by("region_path", "id").values_list("id_number", "region_path").iterator(chunk_size=20000)
    return screening_demo.packed(rnd, residents, tube_code=lambda n: f"{tag}{rnd.pk:04d}{n:09d}")


def _raw_insert(rows: list[tuple], batch: int) -> _Phase:
    """The database's own bulk insert of the sample rows; returns its timing (wall and this process's CPU)."""
    cols = "region_path, round_id, person_id, tube_id, site_id, sampled_at, sampler_id, result, is_retest"
    table = Sample._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    with _Phase() as timing:
        if connection.vendor == "postgresql":
            for i in range(0, len(rows), batch):
                with transaction.atomic(), raw.cursor() as cur:
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in rows[i:i + batch]:
                            copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            for i in range(0, len(rows), batch):
                with transaction.atomic():
                    cur = raw.cursor()
                    cur.executemany(sql, rows[i:i + batch])
                    cur.close()
    return timing


def _raw_baseline(rnd, batch: int) -> _Phase:
    """The timing of the round's sample rows inserted raw into the same table (under a scratch round, removed after)."""
    raw_round = Round.objects.create(name="bench raw baseline", region=rnd.region, region_path=rnd.region_path,
                                     starts_at=rnd.starts_at, ends_at=rnd.ends_at, pool_size=10, status="closed")
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(path, raw_round.pk, pid, tube, site, adapt(at), sid, res, False) for path, pid, tube, site, at, sid, res in
            Sample.objects.filter(round=rnd).order_by("id").values_list("region_path", "person_id", "tube_id", "site_id",
                                                                       "sampled_at", "sampler_id", "result").iterator(chunk_size=20000)]
    timing = _raw_insert(rows, batch)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Sample._meta.db_table} WHERE round_id = %s", [raw_round.pk])
    raw_round.delete()
    return timing


def _http(*, user, people: int, limit: int, seconds: float, threads: int, workers: int, stdout) -> dict:
    """Samples per second through POST /api/v1/screening/rounds/{id}/samples under gunicorn."""
    rnd = _plan(user, "bench http round")
    items = _items(rnd, "H")[:limit]
    batches = [items[i:i + HTTP_BATCH] for i in range(0, len(items), HTTP_BATCH)]
    token = account_services.token_issue(actor=user, user=user, name="bench-screening")
    port = free_port()
    env = {**os.environ, "CORDON_SQLITE_NO_PERSIST": "0", "CORDON_LOG_LEVEL": "ERROR"}
    base = Path(settings.BASE_DIR)
    connection.close()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--threads", "1", "--timeout", "120", "--log-level", "warning"],
                              cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/v1/ping")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(_("gunicorn did not start"))
        local = threading.local()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        stop_at = [None]
        errors: list[str] = []

        def post(batch):
            if stop_at[0] is not None and time.perf_counter() > stop_at[0]:
                return 0
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            body = json.dumps({"items": batch})
            conn.request("POST", f"/api/v1/screening/rounds/{rnd.pk}/samples", body=body,
                         headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 201:
                errors.append(f"{resp.status} {data[:200]!r}")
                return 0
            return len(batch)

        start = time.perf_counter()
        stop_at[0] = start + seconds
        with ThreadPoolExecutor(max_workers=threads) as pool:
            stored = sum(pool.map(post, batches))
        elapsed = time.perf_counter() - start
        if errors:
            stdout.write(f"  http errors: {len(errors)}; first: {errors[0]}\n")
        return {"samples": stored, "seconds": elapsed, "per_s": stored / elapsed if elapsed else 0.0,
                "errors": len(errors), "workers": workers, "threads": threads}
    finally:
        server.kill()
        server.wait()


def _retests(user, rnd, positive_people: set[str]) -> tuple[dict, _Phase]:
    """Every pending single-tube retest registered (batches of up to MAX_BATCH) and resulted (positive for the positive
    people): (results_apply's answer, the registration's timing)."""
    retests = list(Retest.objects.filter(round=rnd, status=RetestStatus.PENDING).select_related("person").order_by("id"))
    codes = [f"R{rnd.pk:04d}{n:09d}" for n in range(1, len(retests) + 1)]
    size = services.MAX_BATCH
    with _Phase() as register:
        for i in range(0, len(retests), size):
            services.retests_register(actor=user, items=[{"retest": r.pk, "tube": code}
                                                         for r, code in zip(retests[i:i + size], codes[i:i + size], strict=True)])
    retest_results = [{"tube": code, "result": "positive" if r.person.id_number in positive_people else "negative"}
                      for r, code in zip(retests, codes, strict=True)]
    out = services.results_apply(actor=user, items=retest_results, source="bench retests") if retest_results else {}
    return out, register


class ScreeningBench(OnCityBench):
    name = "screening"
    help = "One full 10-in-1 mass-testing round for N residents: registration, raw baseline, results, retests, coverage, HTTP."

    arguments = {
        "batch": (10_000, "samples per registration batch"),
        "positivity": 0.0003,
        "http-samples": (100_000, "bound on samples posted over HTTP"),
        "http-seconds": (60.0, "bound on the HTTP phase"),
        "http-threads": 4,
        "http-workers": 2,
        "no-http": False,
    }

    # long: a benchmark script: its phases print one table and one JSON line in order
    def measure(self, options: dict, stdout, city: dict) -> dict:
        people = options["people"]
        batch = options["batch"]
        stdout.write(f"city: {people:,} residents ({'generated' if city.get('generated') else 'reused'}); "
                     f"database {connection.vendor}\n")
        _wipe_bench_rounds()
        user = _bench_user()
        rng = random.Random(1)
        phases: dict[str, float] = {}
        cpu: dict[str, float] = {}

        with _Phase() as t:
            rnd = _plan(user, "bench round")
        phases["plan_publish"] = t.seconds
        cpu["plan_publish"] = t.cpu
        items = _items(rnd, "B")
        with _Phase() as t:
            for i in range(0, len(items), batch):
                services.samples_register(actor=user, round_id=rnd.pk, items=items[i:i + batch])
        phases["register"] = t.seconds
        cpu["register"] = t.cpu
        registered = len(items)

        raw = _raw_baseline(rnd, batch)
        raw_seconds = raw.seconds

        with _Phase() as t:
            services.round_close(actor=user, rnd=rnd)
        phases["close"] = t.seconds
        cpu["close"] = t.cpu
        tube_ids = dict(Tube.objects.filter(round=rnd).values_list("code", "id"))
        tubes = len(tube_ids)
        k = max(1, round(registered * options["positivity"]))
        positive_people = {items[i]["person"] for i in rng.sample(range(registered), k)}
        positive_tubes = {it["tube"] for it in items if it["person"] in positive_people}
        results = [{"tube": code, "result": "positive" if code in positive_tubes else "negative", "lab": "bench lab",
                    "ct_orf1ab": 27.0 if code in positive_tubes else None} for code in tube_ids]
        with _Phase() as t:
            out = {"held": 0, "negative": 0, "positive": 0}
            for i in range(0, len(results), 20_000):
                r = services.results_apply(actor=user, items=results[i:i + 20_000], source="bench")
                for key in out:
                    out[key] += r[key]
        phases["results"] = t.seconds
        cpu["results"] = t.cpu

        with _Phase() as t:
            decoded, retest_register = _retests(user, rnd, positive_people)
        phases["retests"] = t.seconds
        cpu["retests"] = t.cpu

        with _Phase() as t:
            grid_rows = metrics.coverage(rnd, actor=SYSTEM, level=5)
            summary = metrics.totals(rnd, actor=SYSTEM)
        phases["coverage"] = t.seconds
        cpu["coverage"] = t.cpu
        round_seconds = sum(phases.values())

        http = {"samples": 0, "per_s": 0.0, "seconds": 0.0, "errors": 0, "workers": 0, "threads": 0}
        if not options["no_http"]:
            http = _http(user=user, people=people, limit=min(options["http_samples"], people), seconds=options["http_seconds"],
                         threads=options["http_threads"], workers=options["http_workers"], stdout=stdout)

        register_rate = registered / phases["register"]
        # On SQLite the database works in this process, so the CPU ratio is the same work compared whatever the load
        # (wall ratios of a 99 s phase and a 32 s one drift with the machine's load); PostgreSQL's CPU is the server's.
        cpu_ratio = raw.cpu / cpu["register"] if connection.vendor == "sqlite" and cpu["register"] else None
        cpu_rows = [("register CPU s", cpu["register"]), ("raw insert CPU s", raw.cpu),
                    ("register / raw (CPU)", cpu_ratio)] if cpu_ratio is not None else []
        raw_rate = registered / raw_seconds
        print_table(stdout, [
            ("people", people), ("samples registered", registered), ("tubes", tubes), ("sites", rnd.sites.count()),
            ("plan + publish s", phases["plan_publish"]), ("register s", phases["register"]),
            ("register samples/s", register_rate), ("raw bulk insert s", raw_seconds), ("raw rows/s", raw_rate),
            ("register / raw", register_rate / raw_rate), *cpu_rows,
            ("close round s", phases["close"]), ("results s (all tubes)", phases["results"]),
            ("positive pools", out["positive"]), ("members held", out["held"]),
            ("retests s", phases["retests"]), ("retests CPU s", cpu["retests"]),
            ("retest registration s", retest_register.seconds), ("retest registration CPU s", retest_register.cpu), ("retest positives", decoded.get("positive", 0)),
            ("cases reported", decoded.get("cases", 0)),
            ("coverage s", phases["coverage"]), ("grids", len(grid_rows)), ("coverage %", summary["coverage"]),
            ("round s (end to end)", round_seconds), ("round CPU s", sum(cpu.values())),
            ("http samples", http["samples"]), ("http s", http["seconds"]), ("http samples/s", http["per_s"]),
            ("http errors", http["errors"]),
        ], title=f"screening bench ({connection.vendor}, {os.cpu_count()} CPUs)")
        result = {"people": people, "tubes": tubes, "register_samples_per_s": round(register_rate),
                  "raw_rows_per_s": round(raw_rate), "round_seconds": round(round_seconds, 2),
                  "http_samples_per_s": round(http["per_s"]), "register_vs_raw": round(register_rate / raw_rate, 3),
                  "register_vs_raw_cpu": round(cpu_ratio, 3) if cpu_ratio is not None else None,
                  "positive_pools": out["positive"], "held": out["held"], "http_samples": http["samples"],
                  "db": connection.vendor, "phases_s": {k: round(v, 2) for k, v in phases.items()},
                  "phases_cpu_s": {k: round(v, 2) for k, v in cpu.items()},
                  "retest_register_s": round(retest_register.seconds, 2), "retest_register_cpu_s": round(retest_register.cpu, 2)}
        vacuum_analyze(Sample, Tube, Retest)  # what the round wrote, for the pages that read it next
        print_json(stdout, result)
        return result


BENCHES = {"screening": ScreeningBench()}
