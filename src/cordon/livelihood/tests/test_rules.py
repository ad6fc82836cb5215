import datetime as dt

from cordon.livelihood import rules

T0 = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def test_need_deadline_follows_the_kind():
    hours = {"medicine": 12, "food": 24}
    assert rules.need_deadline(created_at=T0, kind="medicine", hours_by_kind=hours) == T0 + dt.timedelta(hours=12)
    assert rules.need_deadline(created_at=T0, kind="food", hours_by_kind=hours) == T0 + dt.timedelta(hours=24)


def test_emergency_deadlines_count_minutes_from_creation():
    ack, dispatch = rules.emergency_deadlines(created_at=T0, ack_minutes=10, dispatch_minutes=30)
    assert ack == T0 + dt.timedelta(minutes=10) and dispatch == T0 + dt.timedelta(minutes=30)


def test_missed_deadline_names_the_step_that_is_late():
    ack, dispatch = T0 + dt.timedelta(minutes=10), T0 + dt.timedelta(minutes=30)
    assert rules.missed_deadline(status="open", now=T0 + dt.timedelta(minutes=5), ack_deadline=ack, dispatch_deadline=dispatch) is None
    assert rules.missed_deadline(status="open", now=T0 + dt.timedelta(minutes=11), ack_deadline=ack, dispatch_deadline=dispatch) == "acknowledge"
    assert rules.missed_deadline(status="acknowledged", now=T0 + dt.timedelta(minutes=20), ack_deadline=ack, dispatch_deadline=dispatch) is None
    assert rules.missed_deadline(status="acknowledged", now=T0 + dt.timedelta(minutes=31), ack_deadline=ack, dispatch_deadline=dispatch) == "dispatch"
    assert rules.missed_deadline(status="dispatched", now=T0 + dt.timedelta(hours=5), ack_deadline=ack, dispatch_deadline=dispatch) is None


def test_due_level_rises_one_step_per_interval_after_the_deadline():
    assert rules.due_level(now=T0, first_missed=T0, step_minutes=10) == 0
    assert rules.due_level(now=T0 + dt.timedelta(minutes=1), first_missed=T0, step_minutes=10) == 1
    assert rules.due_level(now=T0 + dt.timedelta(minutes=10), first_missed=T0, step_minutes=10) == 2
    assert rules.due_level(now=T0 + dt.timedelta(minutes=25), first_missed=T0, step_minutes=10) == 3


def test_escalation_climbs_the_region_path_but_stops_at_the_city():
    path = "1.11.111.1111.11111"
    assert rules.escalation_path(region_path=path, level=1) == "1.11.111.1111"
    assert rules.escalation_path(region_path=path, level=3) == "1.11"
    assert rules.escalation_path(region_path=path, level=9) == "1"


def test_next_test_due_starts_with_the_plan_and_then_follows_the_interval():
    start = dt.date(2026, 11, 1)
    assert rules.next_test_due(last_test=None, every_days=2, start=start) == start
    assert rules.next_test_due(last_test=dt.date(2026, 11, 5), every_days=2, start=start) == dt.date(2026, 11, 7)


def test_board_colour_follows_waiting_time():
    assert [rules.age_band(m) for m in (3, 15, 45)] == ["green", "yellow", "red"]
