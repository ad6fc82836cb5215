"""The outbreak measurement on constructed cases (no database): recall and precision of contact identification
by setting, delays from infection, the share under measures, the placement's stages and the gap arithmetic."""

from types import SimpleNamespace

import numpy as np
import pytest

from cordon.sim import epidemic, gaps, report, tracing
from cordon.sim.epidemic import HOME, TRANSPORT, VENUE, Epidemic


def _exposures(rows):
    """(day, source, target, setting) arrays from tuples."""
    a = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return a[:, 0], a[:, 1], a[:, 2], a[:, 3].astype(np.int8)


def _truth(n=10):
    infector = np.full(n, -2)
    setting = np.full(n, -1, dtype=np.int8)
    infector[0], setting[0] = -1, epidemic.INDEX
    return infector, setting


def test_recall_and_precision_by_setting_on_a_constructed_case():
    infector, setting = _truth()
    infector[1], setting[1] = 0, HOME      # infected at home by the case, identified
    infector[4], setting[4] = 0, VENUE     # infected at a restaurant, missed
    exposures = _exposures([
        (2, 0, 1, HOME), (2, 0, 2, VENUE), (2, 0, 3, TRANSPORT), (3, 0, 4, VENUE),
        (3, 7, 5, VENUE),                  # source 7 is not a case: not counted
        (2, 0, 8, VENUE),                  # 8 was confirmed before the case: a case, nobody's contact
    ])
    case_time = {0: 5.0, 8: 4.0}
    rows = [
        {"agent": 1, "case": 0, "category": "close_contact", "evidence": [{"rule": "household"}]},
        {"agent": 2, "case": 0, "category": "close_contact", "evidence": [{"rule": "venue_overlap", "kind": "restaurant"}]},
        {"agent": 6, "case": 0, "category": "close_contact", "evidence": [{"rule": "vehicle", "kind": "bus"}]},
        {"agent": 9, "case": 0, "category": "close_contact", "evidence": [{"rule": "household"}], "rejected": True},
        {"agent": 5, "case": None, "category": "close_contact", "evidence": [{"rule": "household"}]},
    ]
    out = tracing.score(exposures=exposures, case_time=case_time, rows=rows, infector=infector, setting=setting,
                        window_start={0: 3.0})
    by = out["by_setting"]
    assert (by["home"]["true_contacts"], by["home"]["recall"], by["home"]["infectee_recall"]) == (1, 1.0, 1.0)
    assert (by["venue"]["true_contacts"], by["venue"]["identified"], by["venue"]["recall"]) == (2, 1, 0.5)
    assert (by["venue"]["infectees"], by["venue"]["infectee_recall"]) == (1, 0.0)
    assert (by["transport"]["true_contacts"], by["transport"]["recall"]) == (1, 0.0)
    assert by["home"]["precision"] == 1.0 and by["venue"]["precision"] == 1.0 and by["transport"]["precision"] == 0.0
    assert out["recall"] == 0.5 and out["precision"] == round(2 / 3, 3) and out["infectee_recall"] == 0.5
    # missed: 0->3 (exposed on day 2 only, the window opened on day 3) and 0->4 (day 3, inside it)
    assert out["missed_contacts"] == 2 and out["missed_before_window"] == 1


def test_a_contact_found_by_a_second_case_counts_for_it():
    infector, setting = _truth()
    exposures = _exposures([(1, 0, 2, VENUE), (1, 3, 2, VENUE)])
    rows = [{"agent": 2, "case": 0, "cases": [3], "category": "close_contact",
             "evidence": [{"rule": "venue_overlap", "kind": "school", "unit_id": 7}]}]
    out = tracing.score(exposures=exposures, case_time={0: 2.0, 3: 2.5}, rows=rows, infector=infector, setting=setting)
    assert out["by_setting"]["venue"]["recall"] == 1.0 and out["by_setting"]["venue"]["true_contacts"] == 2
    assert out["by_setting"]["school"]["proposed"] == 1  # a school class in the evidence


def test_evidence_settings_follow_the_engine_s_settings():
    assert tracing.evidence_settings("close_contact", [{"rule": "venue_overlap", "kind": "office", "unit_id": 1}]) == {"workplace"}
    assert tracing.evidence_settings("close_contact", [{"rule": "venue_overlap", "kind": "hospital", "unit_id": 1}]) == {"workplace"}
    assert tracing.evidence_settings("close_contact", [{"rule": "venue_overlap", "kind": "hospital"}]) == {"venue"}
    assert tracing.evidence_settings("close_contact", [{"rule": "venue_overlap", "kind": "station"}]) == {"transport"}
    assert tracing.evidence_settings("spacetime_companion", []) == {"companion"}


def test_the_engine_records_every_exposure_and_the_setting_of_each_infection():
    household = np.array([0, 0, 1, 1, 2, 3])
    venue_kind = np.array([0, 1])  # an office and a bus
    e = Epidemic(household=household, venue_kind=venue_kind, kind_names=("office", "bus"),
                 params=epidemic.Params(beta_home=50.0, beta_venue=500.0), seed=1, record_exposures=True)
    e.inf_day[0], e.infector[0], e.setting[0] = 0, -1, epidemic.INDEX   # infected on day 0, infectious on day 1
    e.incubation[0] = 3.0
    checkins = (np.array([0, 2, 0, 4, 5]), np.array([0, 0, 1, 1, 1]), np.array([540.0, 540, 1080, 1080, 1200]),
                np.array([600.0, 600, 1110, 1110, 1300]))
    e.step(1, checkins)
    day, src, tgt, kind = e.exposure_pairs()
    pairs = set(zip(src.tolist(), tgt.tolist(), kind.tolist(), strict=True))
    # the household member, the office colleague and the bus companion; 5 boarded after agent 0 left
    assert pairs == {(0, 1, HOME), (0, 2, epidemic.WORKPLACE), (0, 4, TRANSPORT)}
    assert e.setting[1] == HOME and e.setting[2] == epidemic.WORKPLACE and e.setting[4] == TRANSPORT
    # a second day: the infected are no longer susceptible, but they are still the case's contacts
    e.step(2, checkins)
    assert len(e.exposures[2][0]) >= 3


def test_delays_from_infection_and_the_share_under_measures():
    inf_day = np.array([0, 14, 15, 16, -1])
    inf_time = np.array([0.2, 14.5, 15.5, 16.25, np.nan])
    infector = np.array([-1, 0, 0, 5, -2])
    case_time = {0: 14.7}
    rows = [
        # agent 1: identified 12 h after infection, decided 2 h later, placed 12 h later
        {"agent": 1, "case": 0, "created": 15.0, "decided": 15.0 + 2 / 24, "measures": 15.5, "released": None},
        # agent 2: under measures since day 15.0 when infected at 15.5
        {"agent": 2, "case": 0, "created": 14.9, "decided": 15.0, "measures": 15.0, "released": None},
    ]
    d = tracing.delays(inf_time=inf_time, case_time=case_time, rows=rows)
    assert d["confirmed"] == {"n": 1, "median_h": round(14.5 * 24, 2), "p90_h": round(14.5 * 24, 2)}
    assert d["identified"]["n"] == 2 and d["identified"]["median_h"] == pytest.approx(6.0)  # 12 h and 0 h
    assert d["measures"]["median_h"] == pytest.approx(12.0)  # 24 h and 0 h
    u = tracing.under_measures(inf_day=inf_day, inf_time=inf_time, infector=infector, case_time=case_time, rows=rows)
    # day >= 14: agents 1 (before its infector's confirmation), 2 (under measures), 3 (infector 5 never a case)
    assert (u["infections"], u["under_measures"], u["share"]) == (3, 1, 0.333)
    assert u["misses"] == {"infector_not_confirmed": 1, "before_infector_confirmed": 1, "infector_under_measures": 0}
    assert u["lead_hours"]["median_h"] == pytest.approx(0.2 * 24)


def _p(confirmed_h, decided_h, assigned_h, arrived_h):
    return {k: v / 24 for k, v in zip(("confirmed", "decided", "assigned", "arrived"),
                                      (confirmed_h, decided_h, assigned_h, arrived_h), strict=True)}


def test_placement_runs_and_the_transport_cadence_that_meets_the_target():
    assert gaps.next_run(5 / 24, 6.0) == pytest.approx(8 / 24)
    assert gaps.next_run(21 / 24, 6.0) == pytest.approx(26 / 24)  # tomorrow's 02:00
    # confirmed 03:00, decided 05:00, room at the 08:00 run, arrival at 14:00: 11 h
    placements = [_p(3, 5, 8, 14)] * 3
    st = gaps.stages(placements)
    assert (st["tracers"]["median_h"], st["rooms"]["median_h"], st["transport"]["median_h"], st["total"]["median_h"]) == (
        2.0, 3.0, 6.0, 11.0)
    assert gaps.replay(placements, every_hours=2.0, now_every_hours=6.0) == pytest.approx(5.0)  # 06:00 room, 08:00 there
    assert gaps.replay(placements, every_hours=4.0, now_every_hours=6.0) == pytest.approx(7.0)
    resources = {"rooms": {"opened": 100, "needed": 80, "unplaced": 0}}
    cfg = SimpleNamespace(placement_every_hours=6.0, tracer_hours=2.0)
    out = gaps.assess(placements=placements, identified_minutes=[0.0], under={"share": 0.95}, resources=resources,
                      recall={"recall_where_data": 0.95, "by_setting": {}}, cfg=cfg)
    placed = next(t for t in out["targets"] if t["code"] == "hours_to_contacts_placed")
    assert out["bottleneck"] == "transport" and placed["met"] is False
    assert placed["fix"] == {"resource": "transport", "now": 6.0, "needed": 3.0, "median_h": 5.0, "method": "arithmetic"}
    assert out["targets_met"] == 3 and out["targets_measured"] == 4


def test_rooms_are_the_bottleneck_when_most_requests_never_reach_one():
    placements = [_p(3, 5, 8, 14)]
    resources = {"rooms": {"opened": 60, "needed": 700, "unplaced": 600}}
    cfg = SimpleNamespace(placement_every_hours=6.0, tracer_hours=2.0)
    out = gaps.assess(placements=placements, identified_minutes=[], under={}, resources=resources,
                      recall={"recall_where_data": None, "by_setting": {}}, cfg=cfg)
    placed = next(t for t in out["targets"] if t["code"] == "hours_to_contacts_placed")
    assert out["bottleneck"] == "rooms" and placed["met"] is False
    assert placed["fix"] == {"resource": "rooms", "now": 60, "needed": 700, "method": "peak",
                             "also": {"resource": "transport", "now": 6.0, "needed": 3.0, "median_h": 5.0, "method": "arithmetic"}}
    text = report.measurement({"gaps": out, "by_setting": {}})["targets"][1]["fix_text"]
    assert "700" in text and "60" in text and "3.0" in text  # the rooms needed, then the transport arithmetic
