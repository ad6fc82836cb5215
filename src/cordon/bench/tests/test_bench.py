"""`cordon bench NAME ...` finds its benchmark in cordon.bench.registry and prints a table, then one JSON line."""

import argparse
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from cordon.bench import base, city
from cordon.bench.screening import ScreeningBench


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


@pytest.mark.django_db(transaction=True)
def test_bench_city_baseline_loads_every_generated_row_and_leaves_no_scratch_table():
    out = io.StringIO()
    call_command("bench", "city", "--people", "300", "--no-progress", stdout=out)
    result = _last_json(out)
    assert result["people"] == 300 and result["checkins"] > 0
    # the baseline writes the same rows as the generator (every table, not only the check-ins)
    assert result["raw_rows"] == result["rows"] > result["checkins"]
    assert result["raw_seconds"] > 0 and result["of_raw"] > 0
    assert not [t for t in connection.introspection.table_names() if t.startswith(city.SCRATCH)]


def _shape(table: str, rename) -> list:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return sorted((tuple(c["columns"]), bool(c["primary_key"]), bool(c["unique"]), bool(c["index"]),
                   rename(c["foreign_key"][0]) if c["foreign_key"] else None, c.get("orders") or [])
                  for c in found.values() if c["columns"] and not c.get("check"))


@pytest.mark.django_db(transaction=True)
def test_bench_city_scratch_tables_have_the_same_indexes_and_keys():
    scratch = city._Scratch(connection.vendor == "postgresql")
    try:
        with transaction.atomic():
            scratch.create(cache_kib=2048)
            scratch.index()
            for table in scratch.tables:
                assert _shape(scratch.name(table), lambda t: t) == _shape(
                    table, lambda t: scratch.name(t) if t in scratch.tables else t), table
    finally:
        scratch.drop()


def test_a_bench_declares_its_options_as_data_with_the_defaults_type_and_flags():
    parser = argparse.ArgumentParser()
    ScreeningBench().add_arguments(parser)
    given = vars(parser.parse_args(["--people", "2000", "--positivity", "0.01", "--no-http"]))
    assert given["people"] == 2000 and given["positivity"] == 0.01 and given["no_http"] is True
    defaults = vars(parser.parse_args([]))
    assert defaults["batch"] == 10_000 and defaults["http_seconds"] == 60.0 and defaults["no_http"] is False


def test_a_bench_on_the_city_measures_after_the_city_of_the_asked_size_is_made_sure_of(monkeypatch):
    asked = []
    monkeypatch.setattr(base, "ensure_city", lambda **kw: asked.append(kw) or {"generated": False, "people": kw["people"]})

    class Probe(base.OnCityBench):
        arguments = {"no-progress": False}

        def measure(self, options, stdout, city):
            return {"city": city, "asked": list(asked)}

    parser = argparse.ArgumentParser()
    Probe().add_arguments(parser)
    assert vars(parser.parse_args([]))["people"] == 100_000
    options = vars(parser.parse_args(["--people", "300", "--no-progress"]))
    assert Probe().run(options, io.StringIO()) == {"city": {"generated": False, "people": 300},
                                                   "asked": [{"people": 300, "progress": False}]}

