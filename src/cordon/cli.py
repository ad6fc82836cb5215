"""The `cordon` command: demo, serve, city, bench, audit, rules, import, export, sim, analytics.

`cordon analytics ...` runs without setting Django up (pure kernels). `cordon bench ...` runs against its own
database (var/bench.sqlite3, or PostgreSQL database cordon_bench with --db postgres) so it never
touches the demo city. Anything else is a Django management command.
"""

import os
import sys
from pathlib import Path

import django
import psycopg
from django.core.management import call_command, execute_from_command_line

BENCH_PG_URL = "postgres://postgres@127.0.0.1:5432/cordon_bench"


def _bench_database(argv: list[str], *, name: str = "bench") -> list[str]:
    db = "sqlite"
    out = []
    it = iter(argv)
    for arg in it:
        if arg == "--db":
            db = next(it, "sqlite")
        elif arg.startswith("--db="):
            db = arg.split("=", 1)[1]
        else:
            out.append(arg)
    people = None
    for i, arg in enumerate(out):
        if arg == "--people" and i + 1 < len(out):
            people = out[i + 1]
        elif arg.startswith("--people="):
            people = arg.split("=", 1)[1]
    # One bench database per city size, so benches of different sizes never regenerate each other's city.
    suffix = f"_p{int(people)}" if people and people.isdigit() else ""
    if db == "postgres":
        url = os.environ.get("CORDON_BENCH_PG_URL", BENCH_PG_URL).replace("cordon_bench", f"cordon_{name}") + suffix
        _ensure_pg_database(url)
        os.environ["DATABASE_URL"] = url
    elif db == "sqlite":
        var = Path(os.environ.get("CORDON_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
        var.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{var / f'{name}{suffix}.sqlite3'}"
    else:
        sys.exit(f"--db must be sqlite or postgres, not {db!r}")
    os.environ["CORDON_BENCH_DB"] = db
    return out


def _ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "analytics":
        # Only here: the analysts' kernels load SciPy (seconds), which no other command should pay for at start.
        from cordon.analytics import cli as analytics_cli

        sys.exit(analytics_cli.main(argv[1:]))
    if argv and argv[0] == "bench":
        argv = _bench_database(argv)
    elif argv[1:2] in (["run"], ["compare"]) and argv[0] == "sim":
        # Simulation runs get their own database per city size (var/sim_pN.sqlite3), never the demo's.
        argv = _bench_database(argv, name="sim")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if argv and (argv[0] == "bench" or os.environ.get("CORDON_BENCH_DB") and argv[0] == "sim"):
        django.setup()
        call_command("migrate", verbosity=0)
    execute_from_command_line(["cordon", *argv])


if __name__ == "__main__":
    main()
