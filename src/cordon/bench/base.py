"""Benchmark plumbing: each module of this package defines `BENCHES = {name: Bench}`; `cordon bench NAME`
runs one (cordon.bench.registry lists them). Every bench prints a table and, last, one JSON line
(cordon.core.figures)."""

import socket
import statistics
import time
from collections.abc import Iterable

from cordon.core import access
from cordon.sim.fixtures import ensure_city

SYSTEM = access.system("bench")  # the benchmarks' work that no user clicked


class Rollback(Exception):
    """Raised inside a bench's transaction to roll back what it wrote (the bench database keeps only the city)."""


class Bench:
    name = ""
    help = ""
    # The command's options as data: "option-name": default, or ("option-name": (default, help)). The option's type
    # is its default's; a default of False makes a flag (store_true).
    arguments: dict = {}

    def add_arguments(self, parser) -> None:
        for option, spec in self.arguments.items():
            default, text = spec if isinstance(spec, tuple) else (spec, None)
            if default is False:
                parser.add_argument(f"--{option}", action="store_true", help=text)
            else:
                parser.add_argument(f"--{option}", type=type(default), default=default, help=text)

    def run(self, options: dict, stdout) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


class OnCityBench(Bench):
    """A bench on the synthetic city: the --people option (its residents, `people` by default), and the city made
    sure of (cordon.sim.fixtures.ensure_city generates it if the bench database holds another) before `measure`
    runs; `measure` gets ensure_city's answer (whether the city was generated)."""

    people = 100_000

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=self.people, help="residents of the synthetic city")
        super().add_arguments(parser)

    def run(self, options: dict, stdout) -> dict:
        city = ensure_city(people=options["people"], progress=not options.get("no_progress"))
        return self.measure(options, stdout, city)

    def measure(self, options: dict, stdout, city: dict) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


def percentile(values: Iterable[float], q: float) -> float:
    data = sorted(values)
    if not data:
        return 0.0
    if len(data) == 1:
        return data[0]
    return statistics.quantiles(data, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a server the bench starts (gunicorn)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
