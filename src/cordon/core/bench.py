"""Benchmark plumbing: apps define `BENCHES = {name: Bench}` in their `bench` module;
`cordon bench NAME` runs one. Every bench prints a table and, last, one JSON line."""

import json
import statistics
import time
from collections.abc import Iterable


class Bench:
    name = ""
    help = ""

    def add_arguments(self, parser) -> None:
        pass

    def run(self, options: dict, stdout) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


def percentile(values: Iterable[float], q: float) -> float:
    data = sorted(values)
    if not data:
        return 0.0
    if len(data) == 1:
        return data[0]
    return statistics.quantiles(data, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def print_table(stdout, rows: list[tuple[str, object]], title: str = "") -> None:
    if title:
        stdout.write(title + "\n")
    width = max((len(k) for k, _ in rows), default=10)
    for key, value in rows:
        if isinstance(value, float):
            value = f"{value:,.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        stdout.write(f"  {key.ljust(width)}  {value}\n")


def print_json(stdout, result: dict) -> None:
    stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def vacuum_analyze(*models_, using: str = "default") -> None:
    """After a bulk load on PostgreSQL: VACUUM (ANALYZE) the tables, as autovacuum would on a running server, so the
    planner has statistics and index-only scans work (a freshly COPYed table has no visibility map). No-op elsewhere."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
