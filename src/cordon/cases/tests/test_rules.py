import datetime as dt

from cordon.cases import rules

UTC = dt.UTC
T = dt.datetime(2022, 7, 1, 12, 0, tzinfo=UTC)
TRACING = {"window_days_before_onset": 2, "screening_found_from_last_negative": True}


def test_the_window_opens_two_days_before_onset_and_closes_at_isolation():
    start, end = rules.exposure_window(onset_date=dt.date(2022, 7, 1), sampled_at=None, confirmed_at=T, window_end=T,
                                       found_by="fever_clinic", last_negative_at=None, tracing=TRACING, tz=UTC)
    assert start == dt.datetime(2022, 6, 29, tzinfo=UTC) and end == T


def test_screening_cases_count_from_a_later_last_negative():
    neg = T - dt.timedelta(hours=20)
    start, _ = rules.exposure_window(onset_date=None, sampled_at=T - dt.timedelta(hours=6), confirmed_at=T, window_end=T,
                                     found_by="screening", last_negative_at=neg, tracing=TRACING, tz=UTC)
    assert start == neg


def test_overlap_counts_the_buffer_after_the_case_left_only():
    b = dt.timedelta(minutes=30)
    assert rules.overlap_minutes(T, T + dt.timedelta(hours=1), T + dt.timedelta(minutes=70), T + dt.timedelta(hours=3), buffer=b) == 20
    assert rules.overlap_minutes(T, T + dt.timedelta(hours=1), T - dt.timedelta(hours=1), T - dt.timedelta(minutes=1), buffer=b) == 0


def test_venue_contacts_keep_the_longest_overlap_above_the_minimum():
    stays = [(T, T + dt.timedelta(hours=1))]
    others = [(1, T + dt.timedelta(minutes=50), T + dt.timedelta(hours=2)),   # 40 min with buffer
              (2, T + dt.timedelta(minutes=55), T + dt.timedelta(minutes=60)),  # 5 min
              (1, T, T + dt.timedelta(minutes=20))]
    hits = rules.venue_contacts(stays, others, buffer_minutes=30, min_overlap_minutes=10)
    assert set(hits) == {1} and hits[1]["minutes"] == 40


def test_overlapping_stays_are_found():
    assert rules.stays_overlap([(T, T + dt.timedelta(hours=2)), (T + dt.timedelta(hours=1), T + dt.timedelta(hours=3))]) == 1
    assert rules.stays_overlap([(T, T + dt.timedelta(hours=1)), (T + dt.timedelta(hours=1), T + dt.timedelta(hours=3))]) is None


def test_the_sla_clock_flags_overdue_and_late_steps():
    clock = rules.sla_clock(confirmed_at=T, now=T + dt.timedelta(hours=5), sla_hours={"on_site": 2, "core_tracing": 4, "full_report": 24},
                            done={"on_site": T + dt.timedelta(hours=3)})
    by = {c["step"]: c for c in clock}
    assert by["on_site"]["late"] and not by["on_site"]["overdue"]
    assert by["core_tracing"]["overdue"] and not by["full_report"]["overdue"]


def test_infector_scores_prefer_gaps_near_the_serial_interval_and_sum_to_one():
    scored = rules.infector_scores([{"case_id": 1, "days_before": 3, "exposure": "venue"},
                                    {"case_id": 2, "days_before": 12, "exposure": "venue"},
                                    {"case_id": 3, "days_before": 3, "exposure": "household"}], serial_interval={"mean": 3.0, "sd": 1.9})
    assert [c["case_id"] for c in scored] == [3, 1, 2]
    assert abs(sum(c["probability"] for c in scored) - 1) < 0.01
    lognormal = rules.infector_scores([{"case_id": 1, "days_before": 3, "exposure": "venue"}],
                                      serial_interval={"mean": 3.0, "sd": 1.9, "family": "lognormal"})
    assert lognormal[0]["probability"] == 1.0


def test_generations_and_components():
    assert rules.generations({1: None, 2: 1, 3: 2, 4: None}) == {1: 1, 2: 2, 3: 3, 4: 1}
    assert rules.components([1, 2, 3, 4, 5], [(1, 2), (4, 5), (2, 3)]) == [[1, 2, 3], [4, 5]]
