"""`cordon bench rt`: Cori Rt for many series at once (vectorised), against one-at-a-time."""

import time

import numpy as np

from cordon.analytics import epiestim
from cordon.core.bench import Bench, print_json, print_table


class RtBench(Bench):
    name = "rt"
    help = "Rt (EpiEstim method) for N series x D days, vectorised"

    def add_arguments(self, parser):
        parser.add_argument("--series", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--seed", type=int, default=1)

    def run(self, options, stdout):
        n, days = options["series"], options["days"]
        rng = np.random.default_rng(options["seed"])
        growth = rng.normal(0.0, 0.02, size=(n, 1))
        base = rng.uniform(1, 50, size=(n, 1))
        mu = base * np.exp(growth * np.arange(days)[None, :])
        incidence = rng.poisson(np.minimum(mu, 1e5)).astype(float)
        si = epiestim.parametric_si_distr(days, 3.0, 1.9)
        t0 = time.perf_counter()
        local, imported = epiestim.split_plain_incidence(incidence)
        res = epiestim.estimate_r_many(local, imported, si)
        mean, std = res.mean, res.std
        t1 = time.perf_counter()
        lo, med, hi = res.quantile(0.025), res.quantile(0.5), res.quantile(0.975)
        t2 = time.perf_counter()
        k = min(200, n)
        t3 = time.perf_counter()
        for i in range(k):
            r = epiestim.estimate_r(local[i], imported[i], si)
            r.quantile(0.025), r.quantile(0.5), r.quantile(0.975)
        loop = (time.perf_counter() - t3) / k * n
        assert mean.shape == (n, days - 7) and np.isfinite(lo).all() and (lo <= med).all() and (med <= hi).all() and std.all()
        seconds = t2 - t0
        print_table(stdout, [
            ("series", n), ("days", days), ("windows per series", days - 7),
            ("posterior, mean, sd (s)", t1 - t0), ("2.5/50/97.5% quantiles (s)", t2 - t1), ("total (s)", seconds),
            ("baseline: one series at a time, extrapolated (s)", loop), ("speed-up", loop / seconds),
        ], title="Rt (Cori / EpiEstim) for many series")
        print_json(stdout, {"series": n, "days": days, "seconds": round(seconds, 3), "baseline_loop_seconds": round(loop, 3)})
        return {"seconds": seconds}


BENCHES = {"rt": RtBench()}
