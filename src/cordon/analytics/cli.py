"""`cordon analytics ...`: the analysts' command line. Runs without Django or a server.

rt       Cori Rt as EpiEstim::estimate_R; CSV out: t_start,t_end,date_start,date_end,mean_r,std_r,q0025_r,median_r,q0975_r
ears     EARS C1/C2/C3 as surveillance::earsC; CSV out: date,observed,upperbound,alarm
pooling  Dorfman pool-size advice; a table, then one JSON line with optimal_size and tests_per_person
"""

import argparse
import csv
import datetime as dt
import json
import math
import sys

import numpy as np

from cordon.analytics import ears, epiestim, pooling


def _read_csv(path: str) -> tuple[list[str], list[list[str]]]:
    try:
        fh = sys.stdin if path == "-" else open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SystemExit(f"error: cannot read {path}: {exc.strerror}")
    with fh:
        rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
    if not rows:
        raise SystemExit(f"error: {path} is empty")
    return [h.strip() for h in rows[0]], rows[1:]


def _num(value: str, *, path: str, row: int, column: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise SystemExit(f"error: {path} row {row}, column {column}: {value!r} is not a number")
    if not math.isfinite(x):
        raise SystemExit(f"error: {path} row {row}, column {column}: {value!r} is not finite")
    return x


def _date(value: str, *, path: str, row: int, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise SystemExit(f"error: {path} row {row}, column {column}: {value!r} is not a date (YYYY-MM-DD)")


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    return repr(float(x))


def cmd_rt(args) -> int:
    header, rows = _read_csv(args.incidence)
    cols = {h.lower(): i for i, h in enumerate(header)}
    date_col = "date" if "date" in cols else ("dates" if "dates" in cols else None)
    if date_col is None:
        raise SystemExit(f"error: {args.incidence}: needs a date column named 'date' or 'dates'")
    dates = [_date(r[cols[date_col]], path=args.incidence, row=i + 2, column=date_col) for i, r in enumerate(rows)]
    for a, b in zip(dates, dates[1:], strict=False):
        if (b - a).days != 1:
            raise SystemExit(f"error: {args.incidence}: dates must be consecutive days ({a} then {b})")
    if "local" in cols and "imported" in cols:
        local = np.array([_num(r[cols["local"]], path=args.incidence, row=i + 2, column="local") for i, r in enumerate(rows)])
        imported = np.array([_num(r[cols["imported"]], path=args.incidence, row=i + 2, column="imported") for i, r in enumerate(rows)])
    else:
        others = [h for h in header if h.lower() != date_col]
        if len(others) != 1:
            raise SystemExit(f"error: {args.incidence}: give one count column, or 'local' and 'imported' columns")
        col = others[0]
        counts = np.array([_num(r[header.index(col)], path=args.incidence, row=i + 2, column=col) for i, r in enumerate(rows)])
        local, imported = epiestim.split_plain_incidence(counts)
    if np.any(local < 0) or np.any(imported < 0):
        raise SystemExit("error: incidence must not be negative")
    T = len(local)
    if args.si_distr:
        sh, srows = _read_csv(args.si_distr)
        sc = {h.lower(): i for i, h in enumerate(sh)}
        if "k" not in sc or "w" not in sc:
            raise SystemExit(f"error: {args.si_distr}: needs columns k,w")
        pairs = sorted((int(_num(r[sc["k"]], path=args.si_distr, row=i + 2, column="k")),
                        _num(r[sc["w"]], path=args.si_distr, row=i + 2, column="w")) for i, r in enumerate(srows))
        si = np.zeros(max(k for k, _ in pairs) + 1)
        for k, w in pairs:
            si[k] = w
    elif args.si_mean is not None and args.si_sd is not None:
        si = epiestim.parametric_si_distr(T, args.si_mean, args.si_sd)
    else:
        raise SystemExit("error: give --si-distr FILE or --si-mean M --si-sd S")
    if T < args.window + 1:
        raise SystemExit(f"error: need at least {args.window + 1} days of incidence for a {args.window}-day window")
    try:
        res = epiestim.estimate_r(local, imported, si, window=args.window, prior_mean=args.prior_mean, prior_sd=args.prior_sd)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["t_start", "t_end", "date_start", "date_end", "mean_r", "std_r", "q0025_r", "median_r", "q0975_r"])
    q025, q50, q975 = res.quantile(0.025), res.quantile(0.5), res.quantile(0.975)
    for i, (s, e) in enumerate(zip(res.t_start, res.t_end, strict=True)):
        out.writerow([int(s), int(e), dates[s - 1].isoformat(), dates[e - 1].isoformat(), _fmt(res.mean[i]),
                      _fmt(res.std[i]), _fmt(q025[i]), _fmt(q50[i]), _fmt(q975[i])])
    return 0


def cmd_ears(args) -> int:
    header, rows = _read_csv(args.series)
    if args.column not in header:
        raise SystemExit(f"error: {args.series}: no column {args.column!r} (columns: {', '.join(header)})")
    ci = header.index(args.column)
    dates = [_date(r[0], path=args.series, row=i + 2, column=header[0]) for i, r in enumerate(rows)]
    values = np.array([_num(r[ci], path=args.series, row=i + 2, column=args.column) for i, r in enumerate(rows)])
    start = dt.date.fromisoformat(args.date_from) if args.date_from else None
    end = dt.date.fromisoformat(args.date_to) if args.date_to else None
    first = {"C1": args.baseline, "C2": args.baseline + 2, "C3": args.baseline + 4}[args.method]
    idx = [i for i, d in enumerate(dates) if (start is None or d >= start) and (end is None or d <= end)
           and (start is not None or i >= first)]
    try:
        res = ears.ears_c(values, method=args.method, alpha=args.alpha, baseline=args.baseline, min_sigma=args.min_sigma,
                          indices=np.array(idx, dtype=int))
    except ValueError as exc:
        raise SystemExit(f"error: {exc}")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "observed", "upperbound", "alarm"])
    for j, i in enumerate(idx):
        out.writerow([dates[i].isoformat(), _fmt(values[i]), _fmt(res.upperbound[j]), int(res.alarm[j])])
    return 0


def cmd_pooling(args) -> int:
    try:
        adv = pooling.advise(args.prevalence, sensitivity=args.sensitivity, specificity=args.specificity, max_size=args.max_size)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}")
    print(f"{'size':>5} {'dorfman':>10} {'array':>10}")
    for n, d, a in zip(adv.sizes, adv.dorfman, adv.array, strict=True):
        mark = " *" if n == adv.optimal_size else ""
        print(f"{n:>5} {d:>10.5f} {a:>10.5f}{mark}")
    print(json.dumps({"prevalence": adv.prevalence, "optimal_size": adv.optimal_size,
                      "tests_per_person": round(adv.tests_per_person, 6)}))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cordon analytics", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    rt = sub.add_parser("rt", help="Cori Rt (EpiEstim estimate_R)")
    rt.add_argument("--incidence", required=True)
    rt.add_argument("--si-distr")
    rt.add_argument("--si-mean", type=float)
    rt.add_argument("--si-sd", type=float)
    rt.add_argument("--window", type=int, default=7)
    rt.add_argument("--prior-mean", type=float, default=5.0)
    rt.add_argument("--prior-sd", type=float, default=5.0)
    rt.set_defaults(func=cmd_rt)
    e = sub.add_parser("ears", help="EARS C1/C2/C3 (surveillance::earsC)")
    e.add_argument("--series", required=True)
    e.add_argument("--column", required=True)
    e.add_argument("--method", choices=["C1", "C2", "C3"], default="C1")
    e.add_argument("--alpha", type=float, default=None, help="default 0.001 (C1, C2) or 0.025 (C3), as the R package")
    e.add_argument("--baseline", type=int, default=7)
    e.add_argument("--min-sigma", type=float, default=0.0)
    e.add_argument("--from", dest="date_from")
    e.add_argument("--to", dest="date_to")
    e.set_defaults(func=cmd_ears)
    po = sub.add_parser("pooling", help="pool size advice (Dorfman)")
    po.add_argument("--prevalence", type=float, required=True)
    po.add_argument("--sensitivity", type=float, default=1.0)
    po.add_argument("--specificity", type=float, default=1.0)
    po.add_argument("--max-size", type=int, default=64)
    po.set_defaults(func=cmd_pooling)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
