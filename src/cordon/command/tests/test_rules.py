import datetime as dt

from cordon.command import rules

T0 = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def test_task_outcomes_follow_the_deadline():
    assert rules.task_outcome(status="done", deadline=T0, done_at=T0 - dt.timedelta(hours=1), now=T0) == "on_time"
    assert rules.task_outcome(status="done", deadline=T0, done_at=T0 + dt.timedelta(hours=1), now=T0) == "late"
    assert rules.task_outcome(status="open", deadline=T0, done_at=None, now=T0 + dt.timedelta(minutes=1)) == "overdue"
    assert rules.task_outcome(status="open", deadline=T0, done_at=None, now=T0 - dt.timedelta(minutes=1)) == "open"


def test_superior_paths_start_above_the_owner_post():
    assert rules.superior_paths("1.2.3.4.5", below_depth=4) == ["1.2.3", "1.2", "1"]
    assert rules.superior_paths("1.2.3", below_depth=9) == ["1.2.3", "1.2", "1"]


def test_escalation_repeats_only_after_the_interval_and_stops_at_the_top_level():
    late = T0 - dt.timedelta(hours=1)
    assert rules.escalation_due(deadline=late, escalated_at=None, level=0, now=T0, every_hours=4, max_level=3)
    assert not rules.escalation_due(deadline=late, escalated_at=T0 - dt.timedelta(hours=1), level=1, now=T0, every_hours=4, max_level=3)
    assert rules.escalation_due(deadline=late, escalated_at=T0 - dt.timedelta(hours=5), level=1, now=T0, every_hours=4, max_level=3)
    assert not rules.escalation_due(deadline=late, escalated_at=None, level=3, now=T0, every_hours=4, max_level=3)
    assert not rules.escalation_due(deadline=T0 + dt.timedelta(hours=1), escalated_at=None, level=0, now=T0, every_hours=4, max_level=3)


def test_matching_fills_requests_from_other_districts_nearest_first():
    requests = [{"id": 1, "district": "a", "resource": "samplers", "remaining": 10, "lon": 121.0, "lat": 31.0}]
    offers = [{"id": 2, "district": "a", "resource": "samplers", "remaining": 50, "lon": 121.0, "lat": 31.0},
              {"id": 3, "district": "b", "resource": "samplers", "remaining": 10, "lon": 121.1, "lat": 31.0},
              {"id": 4, "district": "c", "resource": "samplers", "remaining": 10, "lon": 122.0, "lat": 31.0},
              {"id": 5, "district": "d", "resource": "rooms", "remaining": 10, "lon": 121.0, "lat": 31.0}]
    out = rules.suggest_matches(requests, offers)
    assert [(m["request"], m["offer"], m["quantity"]) for m in out] == [(1, 3, 10)]


def test_matching_prefers_the_offer_that_fills_the_request():
    requests = [{"id": 1, "district": "a", "resource": "rooms", "remaining": 30, "lon": 121.0, "lat": 31.0}]
    offers = [{"id": 2, "district": "b", "resource": "rooms", "remaining": 5, "lon": 121.01, "lat": 31.0},
              {"id": 3, "district": "c", "resource": "rooms", "remaining": 40, "lon": 121.5, "lat": 31.0}]
    assert rules.suggest_matches(requests, offers)[0]["offer"] == 3


def test_ledger_deadline_comes_from_the_severity_hours():
    assert rules.ledger_deadline(severity="severe", found_at=T0, hours_by_severity={"severe": 24}) == T0 + dt.timedelta(hours=24)
