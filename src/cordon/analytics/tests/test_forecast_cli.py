import json
import pathlib

import numpy as np
import pytest

from cordon.analytics import cli, epiestim, forecast

REF = pathlib.Path(__file__).parent / "reference"


def test_a_projection_grows_when_r_is_above_one_and_shrinks_below():
    inc = np.array([1, 2, 3, 5, 8, 12, 18, 26, 38, 55, 80, 115, 160, 230], dtype=float)
    si = epiestim.parametric_si_distr(40, 3.0, 1.9)
    up = forecast.project(inc, si, r_shape=400, r_scale=2.0 / 400, days=10)
    down = forecast.project(inc, si, r_shape=400, r_scale=0.5 / 400, days=10)
    assert up.median[-1] > inc[-1] > down.median[-1]
    assert (up.lower <= up.median).all() and (up.median <= up.upper).all()


def test_projection_is_reproducible_per_seed():
    inc = np.arange(1, 20, dtype=float)
    a, r1 = forecast.project_from_series(inc, mean_si=3.0, std_si=1.9, seed=4)
    b, r2 = forecast.project_from_series(inc, mean_si=3.0, std_si=1.9, seed=4)
    assert r1 == r2 and (a.draws == b.draws).all()


def test_rooms_needed_counts_stays_of_the_given_length():
    rooms = forecast.rooms_needed(np.array([10, 10, 10, 10]), contacts_per_case=5, centralized_share=1.0, centralized_days=2)
    assert list(rooms) == [50, 100, 100, 100]


def test_cli_rt_writes_the_contract_header_and_epiestim_values(capsys):
    assert cli.main(["rt", "--incidence", str(REF / "flu2009_incidence.csv"), "--si-distr", str(REF / "flu2009_si_distr.csv")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "t_start,t_end,date_start,date_end,mean_r,std_r,q0025_r,median_r,q0975_r"
    first = lines[1].split(",")
    assert first[:4] == ["2", "8", "2009-04-28", "2009-05-04"]
    ref = (REF / "flu2009_rt_nonparametric.csv").read_text().splitlines()[1].split(",")
    assert float(first[4]) == pytest.approx(float(ref[2]), rel=1e-9)


def test_cli_ears_and_pooling(capsys, tmp_path):
    assert cli.main(["ears", "--series", str(REF / "ears_series.csv"), "--column", "observed", "--method", "C2",
                     "--from", "2020-01-20", "--to", "2020-01-25"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "date,observed,upperbound,alarm" and len(out) == 7
    assert cli.main(["pooling", "--prevalence", "0.01"]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["optimal_size"] == 11


def test_cli_names_the_bad_row(tmp_path):
    bad = tmp_path / "inc.csv"
    bad.write_text("date,cases\n2022-01-01,3\n2022-01-02,x\n")
    with pytest.raises(SystemExit, match="row 3, column cases"):
        cli.main(["rt", "--incidence", str(bad), "--si-mean", "3", "--si-sd", "1.9"])
