"""`cordon bench NAME ...` finds its benchmark in cordon.bench.registry and prints a table, then one JSON line."""

import io
import json

from django.core.management import call_command


def _last_json(out: io.StringIO) -> dict:
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_bench_rt_prints_its_figures_and_one_json_line():
    out = io.StringIO()
    call_command("bench", "rt", "--series", "40", "--days", "30", stdout=out)
    result = _last_json(out)
    assert result["series"] == 40 and result["days"] == 30 and result["seconds"] >= 0
    assert "Rt (Cori / EpiEstim) for many series" in out.getvalue()


def test_bench_placement_needs_no_city_and_comes_within_one_percent_of_the_optimum():
    out = io.StringIO()
    call_command("bench", "placement", "--people", "300", "--sites", "6", "--rooms", "500", stdout=out)
    result = _last_json(out)
    assert result["people"] == 300 and result["unplaced"] == 0
    assert result["optimum"] <= result["cost"] and result["gap_pct"] <= 1.0
