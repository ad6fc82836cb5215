"""Every benchmark by its `cordon bench NAME`: one module per measured thing, each with its `BENCHES`."""

from django.utils.translation import gettext as _

from cordon.bench import (
    city,
    livelihood,
    national,
    pages,
    placement,
    rt_forecast,
    screening,
    spacetime,
    tracing,
    verify,
    zones,
)
from cordon.bench.base import Bench

MODULES = (city, livelihood, national, pages, placement, rt_forecast, screening, spacetime, tracing, verify, zones)


def all_benches() -> dict[str, Bench]:
    out: dict[str, Bench] = {}
    for module in MODULES:
        for name, bench in module.BENCHES.items():
            if name in out:
                raise ValueError(_("two benchmarks are named %(name)r") % {"name": name})
            out[name] = bench
    return out
