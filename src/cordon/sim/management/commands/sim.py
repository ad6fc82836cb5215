"""`cordon sim run` and `cordon sim compare`: the outbreak digital twin (cordon.sim.twin).

Both run on their own database (var/sim_pN.sqlite3, or PostgreSQL cordon_sim_pN with --db postgres;
chosen by cordon.cli before Django starts), generate the city there once (cordon.sim.fixtures.ensure_city),
and roll back everything the simulation wrote, so every run starts from the same untouched city.
Results go to var/sim/<run_id>/ (run.json, PNG charts) and the SimRun table; the web page
/sim/ lists them. The last line printed is one JSON object."""

from __future__ import annotations

import dataclasses
import re
import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.core.figures import print_json, print_table
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.sim import charts, fixtures, services, twin
from cordon.sim.kpis import KPI_LABELS

SUMMARY_KEYS = ("people", "days", "infections", "infections_no_response", "averted", "detected", "tracing_recall",
                "tracing_precision", "share_infections_under_measures", "median_hours_to_contacts_placed",
                "median_minutes_to_contacts_identified")
CONFIG_KEYS = {"rules": str, "pool": int, "asymptomatic": float, "index_cases": int, "screening_every": int,
               "screening_participation": float, "screening_start": int, "tracer_hours": float, "rooms_per_1000": float, "beta_home": float,
               "beta_venue": float, "clinic_result_hours": float, "placement_every_hours": float}


def _add_common(p) -> None:
    p.add_argument("--people", type=int, default=100_000)
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--city-seed", type=int, default=1, help="seed of the generated city")
    p.add_argument("--no-progress", action="store_true")


class Command(BaseCommand):
    help = "Outbreak digital twin: `run` one simulation, `compare` configurations with the same seeds."
    # The twin serves no page: the URL and API checks (which import every app's views) are not its concern, and
    # a drill started from the HQ must not fail on them.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="simulate an outbreak through the platform's services")
        _add_common(run)
        run.add_argument("--seed", type=int, default=1)
        run.add_argument("--rules", default="", help="protocol-9 | protocol-8 | measures-2022-11 (default: in force)")
        run.add_argument("--pool", type=int, default=10)
        run.add_argument("--asymptomatic", type=float, default=0.4)
        run.add_argument("--index-cases", type=int, default=10)
        run.add_argument("--screening-every", type=int, default=3, help="days between city-wide rounds; 0: none")
        run.add_argument("--screening-start", type=int, default=-1,
                         help="routine rounds from this day even before a case is known (-1: after the first case)")
        run.add_argument("--tracer-hours", type=float, default=2.0)
        run.add_argument("--rooms-per-1000", type=float, default=20.0)
        run.add_argument("--placement-every-hours", type=float, default=6.0,
                         help="transport: placement runs from 02:00 every N hours; a room assigned at one is reached at the next")
        run.add_argument("--beta-home", type=float, default=0.45)
        run.add_argument("--beta-venue", type=float, default=0.16)
        run.add_argument("--no-passages", action="store_true",
                         help="no compound exits or checkpoint crossings (cordon.sim.passages)")
        run.add_argument("--passages", type=int, default=200, help="exits and checkpoint crossings tried per day")
        run.add_argument("--no-response", action="store_true",
                         help="the same outbreak with nothing but fever clinics: no tracing, screening, placement or gates")
        run.add_argument("--no-counterfactual", action="store_true",
                         help="skip the same outbreak without the response (no infections_no_response or averted)")
        run.add_argument("--seeds", default="", help="seeds, comma-separated (default: --seed); the spread of averted over them")
        run.add_argument("--repeats", type=int, default=1, help="seeds --seed .. --seed+N-1 (when --seeds is not given)")
        run.add_argument("--run-id", default="", help="the run's id (default: a new one); the HQ's drills name it")
        run.add_argument("--label", default="", help="the run's label (default: from the configuration)")
        run.add_argument("--progress-file", default="", help="a JSON file rewritten after every simulated day")
        run.add_argument("--invariants", action="store_true",
                         help="check the platform's invariants (cordon.sim.invariants) every simulated hour")
        cmp = sub.add_parser("compare", help="run configurations side by side with the same seeds")
        _add_common(cmp)
        cmp.add_argument("--seeds", default="1,2")
        cmp.add_argument("--config", action="append", default=[],
                         help="key=value[,key=value...] e.g. rules=protocol-9 or rules=measures-2022-11,pool=20")

    def handle(self, *args, **o):
        root = Region.objects.filter(parent__isnull=True).first()
        # ensure_city takes a lock shared by every bench database; skip it when the city is there already.
        if root is None or root.population != o["people"] or Person.objects.count() != o["people"]:
            fixtures.ensure_city(people=o["people"], seed=o["city_seed"], progress=not o["no_progress"])
        if o["action"] == "run":
            return self._run(o)
        return self._compare(o)

    # ------------------------------------------------------------------ run
    def _config(self, o, seed: int) -> twin.Config:
        return twin.Config(people=o["people"], days=o["days"], seed=seed, rules=o["rules"], pool=o["pool"],
                           asymptomatic=o["asymptomatic"], index_cases=o["index_cases"],
                           screening_every=o["screening_every"], screening_start=o["screening_start"],
                           tracer_hours=o["tracer_hours"], rooms_per_1000=o["rooms_per_1000"],
                           placement_every_hours=o["placement_every_hours"], beta_home=o["beta_home"],
                           beta_venue=o["beta_venue"], progress=not o["no_progress"], invariants=o["invariants"],
                           passages=0 if o["no_passages"] else o["passages"], response=not o["no_response"],
                           progress_file=o["progress_file"])

    # long: the runs of every seed (with the response and without), then storing and printing them together
    def _run(self, o) -> None:
        if o["run_id"] and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", o["run_id"]):
            raise CommandError(_("--run-id: letters, digits, - and _ only (at most 64)"))
        if o["placement_every_hours"] <= 0:
            raise CommandError(_("--placement-every-hours must be above 0"))
        seeds = parse_seeds(o["seeds"], o["seed"], o["repeats"])
        counterfactual = not o["no_counterfactual"] and not o["no_response"]
        started = time.perf_counter()
        outs, per_seed = [], []
        for seed in seeds:
            cfg = self._config(o, seed)
            out = twin.run(cfg)
            if counterfactual:  # the same outbreak (same seed) with fever clinics only
                bare = twin.run(dataclasses.replace(cfg, response=False, invariants=False, progress_file="",
                                                      surveillance=False))  # Rt changes no infection
                out.kpis["infections_no_response"] = bare.kpis["infections"]
                out.kpis["averted"] = bare.kpis["infections"] - out.kpis["infections"]
                out.series["infections_no_response"] = bare.series["infections"]
                out.series["confirmed_no_response"] = bare.series["confirmed"]
            outs.append(out)
            per_seed.append({"seed": seed, **{k: out.kpis.get(k) for k in SUMMARY_KEYS[2:]}, "seconds": round(out.seconds, 1)})
            if len(seeds) > 1:
                bare_text = f", {out.kpis['infections_no_response']} without the response" if counterfactual else ""
                self.stdout.write(f"  seed {seed}: {out.kpis['infections']} infections{bare_text}\n")
        seconds = time.perf_counter() - started
        first = outs[0]
        kpis = dict(first.kpis)
        if len(seeds) > 1:  # headline figures: the mean over seeds; the nested detail is the first seed's
            means = average_kpis([x.kpis for x in outs])
            kpis.update({k: v for k, v in means.items() if k in kpis})
        kpis["seeds"] = per_seed
        if counterfactual:
            kpis["averted_spread"] = spread([x.kpis["averted"] for x in outs])
        cfg = self._config(o, seeds[0])
        run_id = o["run_id"] or services.new_run_id("run")
        folder = services.runs_dir() / run_id
        label = o["label"] or f"{cfg.label()}, seed{'s' if len(seeds) > 1 else ''} {','.join(map(str, seeds))}"
        names = charts.png_run(first.series, folder, title=f"{o['people']:,} residents, {label}")
        services.run_store(run_id=run_id, kind="run", label=label, people=kpis["people"], days=cfg.days,
                           seconds=seconds, config={**first.config, "seeds": seeds, "counterfactual": counterfactual,
                                                    "truth": first.truth, "timing": first.timing},
                           kpis=kpis, series=first.series, charts=names)
        self._table(kpis, seconds, title=f"sim run {run_id}: {label}")
        self._measures(kpis)
        self.stdout.write(f"  ground truth: {first.truth}\n  seconds by step: {first.timing}\n  charts: {folder}\n")
        result = {k: kpis.get(k) for k in SUMMARY_KEYS}
        result["seconds"] = round(seconds, 1)
        result.update({k: v for k, v in kpis.items() if k not in result})
        if first.invariants:
            self._invariants(first.invariants)
            result.update({k: first.invariants[k] for k in ("invariants_checked", "invariant_checks", "violations",
                                                            "violations_total", "violation_examples")})
        result["run_id"] = run_id
        print_json(self.stdout, result)

    def _measures(self, kpis: dict) -> None:
        """Recall and precision by setting, delays from infection, targets (the measurement's tables)."""
        rows = [(name, row["true_contacts"], row["recall"], row["infectees"], row["infectee_recall"], row["proposed"],
                 row["precision"]) for name, row in kpis.get("by_setting", {}).items()]
        print_table(self.stdout, [(r[0], f"contacts {r[1]} recall {r[2]}; infectees {r[3]} recall {r[4]}; "
                                         f"identified {r[5]} precision {r[6]}") for r in rows],
                    title="contact identification by setting (truth)")
        print_table(self.stdout, [(k, f"n {v['n']} median {v['median_h']} h p90 {v['p90_h']} h")
                                  for k, v in kpis.get("delays", {}).items()], title="hours from infection")
        gap = kpis.get("gaps") or {}
        print_table(self.stdout, [(k, f"median {v['median_h']} h p90 {v['p90_h']} h") for k, v in gap.get("stages", {}).items()],
                    title=f"confirmation -> contacts in a site by stage (bottleneck: {gap.get('bottleneck')})")
        print_table(self.stdout, [(t["code"], f"value {t['value']} goal {t['goal']} met {t['met']} resource {t['resource']} "
                                              f"fix {t['fix']}") for t in gap.get("targets", [])], title="targets")

    def _invariants(self, summary: dict) -> None:
        rows = [(name, f"{summary['violations'][name]} (at the end: {summary['violations_at_end'][name]}; "
                       f"{summary['invariant_seconds'][name]} s)")
                for name in summary["invariants_checked"]]
        print_table(self.stdout, rows, title=f"invariants: distinct violations over {summary['invariant_checks']} hourly checks")
        for name, items in summary["violation_examples"].items():
            for v in items:
                self.stdout.write(f"  {name}: {v['kind']} {v['ids']}: {v['detail']}\n")

    def _table(self, kpis: dict, seconds: float, title: str) -> None:
        rows = [(label, kpis[k] if not isinstance(kpis.get(k), dict) else str(kpis[k])) for k, label in KPI_LABELS
                if k in kpis]
        rows = [(k, "-" if v is None else v) for k, v in rows]
        rows.append(("seconds", seconds))
        print_table(self.stdout, rows, title=title)

    # ------------------------------------------------------------------ compare
    def _compare(self, o) -> None:
        seeds = [int(s) for s in str(o["seeds"]).split(",") if s.strip()]
        configs = [parse_config(c) for c in (o["config"] or ["rules=protocol-9", "rules=measures-2022-11"])]
        t0 = time.perf_counter()
        kpis_by, series_by, runs = {}, {}, {}
        for overrides in configs:
            label = ",".join(f"{k}={v}" for k, v in overrides.items()) or "default"
            outs = []
            for seed in seeds:
                cfg = twin.Config(people=o["people"], days=o["days"], seed=seed, progress=not o["no_progress"], **overrides)
                outs.append(twin.run(cfg))
                self.stdout.write(f"  {label} seed {seed}: {outs[-1].kpis['infections']} infections, "
                                  f"{outs[-1].kpis['detected']} cases, {outs[-1].seconds:.1f} s\n")
            kpis_by[label] = average_kpis([x.kpis for x in outs])
            series_by[label] = {k: np.mean([x.series[k] for x in outs], axis=0).round(2).tolist()
                                for k in ("infections", "confirmed", "occupancy", "queued", "off_street")}
            runs[label] = [x.kpis for x in outs]
        seconds = time.perf_counter() - t0
        run_id = services.new_run_id("compare")
        names = charts.png_compare(series_by, services.runs_dir() / run_id)
        services.run_store(run_id=run_id, kind="compare", label=" vs ".join(kpis_by), people=o["people"], days=o["days"],
                           seconds=seconds, config={"seeds": seeds, "configs": configs, "runs": runs}, kpis=kpis_by,
                           series=series_by, charts=names)
        labels = list(kpis_by)
        self.stdout.write(f"sim compare {run_id}: {o['people']:,} residents, {o['days']} days, seeds {seeds} (means)\n")
        width = max(len(lb) for _k, lb in KPI_LABELS)
        self.stdout.write("  " + " " * width + "".join(f"  {lb[:24]:>24}" for lb in labels) + "\n")
        for key, name in KPI_LABELS:
            if key in ("found_by",) or not any(key in kpis_by[lb] for lb in labels):
                continue
            cells = "".join(f"  {_fmt(kpis_by[lb].get(key)):>24}" for lb in labels)
            self.stdout.write(f"  {name.ljust(width)}{cells}\n")
        print_json(self.stdout, {"people": o["people"], "days": o["days"], "seeds": seeds, "configs": kpis_by,
                                 "seconds": round(seconds, 1), "run_id": run_id})


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def parse_config(text: str) -> dict:
    """'rules=measures-2022-11,pool=20' -> {'rules': 'measures-2022-11', 'pool': 20}."""
    out = {}
    for part in [p for p in text.split(",") if p.strip()]:
        if "=" not in part:
            raise CommandError(_("--config: %(part)r is not key=value") % {"part": part})
        key, value = (x.strip() for x in part.split("=", 1))
        key = key.replace("-", "_")
        if key not in CONFIG_KEYS:
            raise CommandError(_("--config: unknown key %(key)r (one of %(choices)s)") % {"key": key, "choices": ', '.join(CONFIG_KEYS)})
        try:
            out[key] = CONFIG_KEYS[key](value)
        except ValueError:
            raise CommandError(_("--config: %(key)s=%(value)r is not a %(__name__)s") % {"key": key, "value": value, "__name__": CONFIG_KEYS[key].__name__})
    return out


def parse_seeds(text: str, seed: int, repeats: int) -> list[int]:
    """--seeds '1,2,3', else --seed and the next repeats-1 seeds."""
    try:
        seeds = [int(x) for x in str(text).split(",") if x.strip()]
    except ValueError:
        raise CommandError(_("--seeds: whole numbers separated by commas")) from None
    return seeds or [seed + k for k in range(max(1, repeats))]


def spread(values: list[float]) -> dict:
    """Mean, standard deviation, minimum and maximum of a figure over seeds."""
    a = np.asarray(values, dtype=float)
    return {"n": len(a), "mean": round(float(a.mean()), 1), "sd": round(float(a.std(ddof=1)), 1) if len(a) > 1 else None,
            "min": float(a.min()), "max": float(a.max()), "values": [float(v) for v in a]}


def average_kpis(items: list[dict]) -> dict:
    """Mean of each numeric KPI over seeds (None when no seed had a value)."""
    out = {}
    for key in items[0]:
        values = [x.get(key) for x in items]
        nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if nums:
            out[key] = round(float(np.mean(nums)), 3)
        elif all(v is None for v in values):
            out[key] = None
    return out
