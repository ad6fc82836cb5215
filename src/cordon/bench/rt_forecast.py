"""`cordon bench rt`: Cori Rt for many series at once (vectorised), against one-at-a-time."""

import time

import numpy as np

from cordon.analytics import epiestim, forecast
from cordon.bench.base import SYSTEM, Bench
from cordon.core.figures import print_json, print_table
from cordon.sim import epidemic
from cordon.surveillance import services as surveillance_services


class RtBench(Bench):
    name = "rt"
    help = "Rt (EpiEstim method) for N series x D days, vectorised"

    arguments = {
        "series": 10_000,
        "days": 365,
        "seed": 1,
    }

    def run(self, options, stdout):
        n, days = options["series"], options["days"]
        rng = np.random.default_rng(options["seed"])
        growth = rng.normal(0.0, 0.02, size=(n, 1))
        base = rng.uniform(1, 50, size=(n, 1))
        mu = base * np.exp(growth * np.arange(days)[None, :])
        incidence = rng.poisson(np.minimum(mu, 1e5)).astype(float)
        si = epiestim.parametric_si_distr(days, 3.0, 1.9)
        runs = []
        # A serving process computes Rt again and again: the first runs pay for fresh memory (page faults), later runs
        # reuse what the run before last freed; the third is that steady state, the first is reported beside it.
        for _run in range(3):
            t0 = time.perf_counter()
            local, imported = epiestim.split_plain_incidence(incidence)
            res = epiestim.estimate_r_many(local, imported, si)
            mean, std = res.mean, res.std
            t1 = time.perf_counter()
            lo, med, hi = res.quantile(0.025), res.quantile(0.5), res.quantile(0.975)
            t2 = time.perf_counter()
            runs.append((t0, t1, t2))
        cold = runs[0][2] - runs[0][0]
        t0, t1, t2 = runs[-1]
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
            ("first run, fresh memory (s)", cold),
            ("baseline: one series at a time, extrapolated (s)", loop), ("speed-up", loop / seconds),
        ], title="Rt (Cori / EpiEstim) for many series")
        print_json(stdout, {"series": n, "days": days, "seconds": round(seconds, 3), "first_run_seconds": round(cold, 3), "baseline_loop_seconds": round(loop, 3)})
        return {"seconds": seconds}


class ForecastBench(Bench):
    """Backtest of the bounded renewal forecast against a simulated outbreak.

    The outbreak is the digital twin's SEIR engine (cordon.sim.epidemic, pure NumPy) on a synthetic
    city of `--people` residents in households of 1-5, each going out to venues on most days, with no
    control measures (the hardest case for the bound: the epidemic runs into the population). Observed
    incidence is new infections by day. From day `--min-days` on, each day Rt is estimated (Cori, last
    7-day window) and the next `--horizon` days are projected with the population bound; the forecast
    is scored against what the engine then produced."""

    name = "forecast"
    help = "backtest: 7-day-ahead bounded renewal forecasts on a simulated outbreak (MAE, relative error, band coverage)"

    arguments = {
        "people": 20_000,
        "days": 30,
        "horizon": 7,
        "min-days": (8, "first forecast after this many observed days"),
        "seed": 1,
        "sims": 500,
        "store": (False, "keep the result (error, band coverage) for the quarantine forecast page"),
    }

    @staticmethod
    def outbreak(*, people: int, days: int, seed: int, beta_venue: float = 1.5) -> np.ndarray:
        """Daily new infections of an uncontrolled outbreak in a synthetic city (the twin's engine)."""
        rng = np.random.default_rng([seed, 7])
        sizes = rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.3, 0.3, 0.15, 0.1], size=people)
        household = np.repeat(np.arange(len(sizes)), sizes)[:people]
        kinds = tuple(epidemic.KIND_FACTOR)
        n_venues = max(10, people // 60)
        venue_kind = rng.integers(0, len(kinds), size=n_venues)
        engine = epidemic.Epidemic(household=household, venue_kind=venue_kind, kind_names=kinds,
                                   params=epidemic.Params(index_cases=10, beta_venue=beta_venue), seed=seed)
        engine.seed_index_cases(day=0)
        for day in range(days):
            out = rng.random(people) < 0.7
            person = np.flatnonzero(out)
            venue = rng.integers(0, n_venues, size=len(person))
            t_in = rng.integers(7 * 60, 20 * 60, size=len(person))
            t_out = t_in + rng.integers(20, 180, size=len(person))
            engine.step(day, (person, venue, t_in, t_out))
        inf = engine.inf_day[engine.inf_day >= 0]
        return np.bincount(inf, minlength=days)[:days].astype(float)

    def run(self, options, stdout):
        people, days, horizon = options["people"], options["days"], options["horizon"]
        t0 = time.perf_counter()
        truth = self.outbreak(people=people, days=days + horizon, seed=options["seed"])
        sim_seconds = time.perf_counter() - t0
        scored = forecast.backtest(truth, population=people, horizon=horizon, min_days=options["min_days"],
                                   n_sim=options["sims"], seed=options["seed"])
        seconds = time.perf_counter() - t0
        rows = [(f"day {r['day']:>2}: Rt {r['rt']:.2f}, next {horizon} d actual {int(r['actual'])}",
                 f"median {r['median']:,.0f} [{r['lower']:,.0f}-{r['upper']:,.0f}], covered {r['covered']}/{r['points']}")
                for r in scored.rows]
        print_table(stdout, rows, title=f"forecast backtest: {people:,} people, {days} days, {horizon}-day horizon")
        print_table(stdout, [("infections (simulated)", int(truth[:days].sum())), ("forecasts", len(rows)),
                             ("mean absolute error (cases/day)", scored.mae),
                             ("mean relative error (7-day total)", scored.relative_error),
                             ("95% band coverage (daily points)", scored.coverage),
                             ("cumulative never above population", str(scored.bounded)),
                             ("outbreak simulation (s)", sim_seconds), ("total (s)", seconds)], title="summary")
        result = {"people": people, "days": days, "horizon": horizon, "infections": int(truth[:days].sum()),
                  **scored.summary(), "seconds": round(seconds, 2)}
        if options["store"]:
            # into the database this command runs on: `cordon bench` has its own; `manage.py bench` uses the site's
            surveillance_services.forecast_backtest_record(actor=SYSTEM, result=result,
                                                           source=f"cordon bench forecast --people {people} --seed {options['seed']}")
        print_json(stdout, result)
        return result


BENCHES = {"rt": RtBench(), "forecast": ForecastBench()}
