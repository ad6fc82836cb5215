"""Self-reporting end to end: enrolment follows the home-measure status reasons, the personal link takes one report
per city day without a login and shows only masked identity, a fever or a missed report becomes a task for the grid
worker (idempotent per person and day, priority up when misses repeat), reminders go once per round, officers see
their own area only, and the daily report counts reporters and non-reporters."""

import datetime as dt

import pytest

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.outbox.models import Message
from cordon.people.factories import PersonFactory
from cordon.questionnaires.models import Response
from cordon.selfreport import rules, selectors, services
from cordon.selfreport.factories import EnrolmentFactory
from cordon.selfreport.models import Enrolment, Miss, Reminder, Report
from cordon.status import services as status_services

pytestmark = pytest.mark.django_db


def _home(person, reason="home_isolation", *, days=5, source=None):
    now = clock.now()
    until = clock.day_start(clock.today() + dt.timedelta(days=days))
    status_services.reason_set(person_id=person.pk, reason=reason, source=source or f"quarantine.stay:{person.pk}",
                               since=now - dt.timedelta(days=1), until=until, actor=SYSTEM)


def _enrolled(city, **kw):
    e = EnrolmentFactory(person=PersonFactory(grid=kw.pop("grid", city.a_grid), name="王小明", phone="13912345678"), **kw)
    # enrolled two days ago: before any cut-off the tests look at, whatever the hour the suite runs at
    Enrolment.objects.filter(pk=e.pk).update(created_at=clock.at(clock.today() - dt.timedelta(days=2)))
    return e


def test_the_rules_read_fever_cutoff_and_priority():
    assert rules.is_fever(37.3, threshold=37.3) and not rules.is_fever(37.2, threshold=37.3)
    assert rules.alarming(temperature=36.5, symptoms=["cough"], threshold=37.3)
    assert rules.past_cutoff(dt.time(12, 0), cutoff_hour=12) and not rules.past_cutoff(dt.time(11, 59), cutoff_hour=12)
    assert rules.miss_priority(1, priority_after_misses=2) == 2 and rules.miss_priority(2, priority_after_misses=2) == 1


def test_people_under_home_measures_are_enrolled_once_and_leave_when_measures_end(city):
    isolated, monitored, other = (PersonFactory(grid=city.a_grid) for _ in range(3))
    _home(isolated, "home_isolation", days=5)
    _home(monitored, "home_monitoring", days=3, source="contacts.riskperson:77")
    status_services.reason_set(person_id=other.pk, reason="close_contact", source="contacts.riskperson:1",
                               since=clock.now() - dt.timedelta(hours=1), actor=SYSTEM)
    assert services.enrolments_sync() == {"enrolled": 2, "updated": 0, "ended": 0}
    e = Enrolment.objects.get(person=isolated)
    assert (e.kind, e.region_path, e.active) == ("home_isolation", city.a_grid.path, True)
    assert e.start == clock.today() - dt.timedelta(days=1) and e.end == clock.today() + dt.timedelta(days=4)
    assert Enrolment.objects.get(person=monitored).source == "contacts.riskperson:77"
    assert services.enrolments_sync() == {"enrolled": 0, "updated": 0, "ended": 0}  # idempotent
    status_services.reason_clear(person_id=isolated.pk, source=f"quarantine.stay:{isolated.pk}", actor=SYSTEM)
    assert services.enrolments_sync()["ended"] == 1
    e.refresh_from_db()
    assert not e.active and e.end_reason == "measures_ended"
    assert AuditEntry.objects.filter(action="selfreport.enrolments_sync").count() == 2


def test_the_token_is_not_stored_and_opens_the_page_without_login(city, client):
    e = _enrolled(city)
    token = services.link_token(e)
    assert len(token) == 32 and token not in (e.salt, e.token_hash)
    assert Enrolment.objects.filter(token_hash=token).count() == 0
    page = client.get(f"/selfreport/r/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "王" in html and "王小明" not in html and "13912345678" not in html and "139****5678" in html
    answer = client.post(f"/selfreport/r/{token}/", {"temperature": "36.6", "symptoms": ["none"]})
    assert answer.status_code == 302
    report = Report.objects.get()
    assert (report.day, float(report.temperature), report.fever, report.submissions) == (clock.today(), 36.6, False, 1)
    saved = Response.objects.get(pk=report.answer_id)  # kept against the questionnaire version used
    assert saved.subject_type == "selfreport.report" and saved.subject_id == report.pk and saved.answers["symptoms"] == ["none"]
    assert Task.objects.count() == 0
    # a second report the same day replaces the values and is counted
    client.post(f"/selfreport/r/{token}/", {"temperature": "36.9", "symptoms": ["cough"]})
    report.refresh_from_db()
    assert (float(report.temperature), report.symptoms, report.submissions) == (36.9, ["cough"], 2)
    assert Report.objects.count() == 1
    bad = client.post(f"/selfreport/r/{token}/", {"temperature": "52", "symptoms": ["none"]})
    assert bad.status_code == 200 and "temperature" in bad.context["form"].errors
    assert Report.objects.get().submissions == 2
    missing = client.post(f"/selfreport/r/{token}/", {"temperature": "36.5"})  # symptoms must be answered ("none" is an answer)
    assert "symptoms" in missing.context["form"].errors


def test_an_unknown_or_ended_link_says_so(city, client):
    assert client.get("/selfreport/r/not-a-real-token/").status_code == 404
    e = _enrolled(city)
    Enrolment.objects.filter(pk=e.pk).update(active=False, end_reason="measures_ended", ended_at=clock.now())
    page = client.get(f"/selfreport/r/{services.link_token(e)}/")
    assert page.status_code == 410 and page.context["state"] == "ended"
    with pytest.raises(ServiceError) as exc:
        services.report_submit(token=services.link_token(e), temperature="36.5")
    assert exc.value.status == 410


def test_a_fever_files_one_task_for_the_grid_worker(city, cast):
    e = _enrolled(city)
    token = services.link_token(e)
    report = services.report_submit(token=token, temperature="38.1")
    assert report.fever
    task = Task.objects.get(kind="selfreport_fever")
    assert task.region_path == city.a_grid.path and task.owner_role == "grid_worker" and task.owner == cast.field_a
    assert task.source == f"selfreport:{e.pk}:{report.day.isoformat()}" and task.priority == 1
    assert task.deadline > clock.now() and "王*" in task.title and "王小明" not in task.title
    services.report_submit(token=token, temperature="38.4", symptoms=["cough"])
    assert Task.objects.filter(kind="selfreport_fever").count() == 1  # idempotent per person and day
    # a symptom without fever is escalated too
    other = _enrolled(city)
    services.report_submit(token=services.link_token(other), temperature="36.8", symptoms=["sore_throat"])
    assert Task.objects.filter(kind="selfreport_fever").count() == 2


def test_a_report_at_half_past_midnight_counts_for_the_city_day(city):
    e = _enrolled(city)
    day = clock.today()
    report = services.report_submit(token=services.link_token(e), temperature="36.5", now=clock.at(day, dt.time(0, 30)))
    assert report.day == day


def test_a_missed_report_files_a_task_at_the_cutoff_and_repeats_raise_priority(city, cast):
    e = _enrolled(city)
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    Report.objects.create(enrolment=e, day=yesterday - dt.timedelta(days=1), at=clock.at(yesterday - dt.timedelta(days=1), dt.time(9)),
                          temperature="36.5", region_path=e.region_path)
    # yesterday missed (caught up at any hour), today not yet due before noon
    assert services.misses_file(now=clock.at(today, dt.time(11, 59)))["filed"] == 1
    miss = Miss.objects.get()
    assert (miss.day, miss.streak) == (yesterday, 1)
    first = Task.objects.get(pk=miss.task_id)
    assert first.kind == "selfreport_missed" and first.priority == 2 and first.owner == cast.field_a
    # at the cut-off: today's miss, second in a row, priority 1
    assert services.misses_file(now=clock.at(today, dt.time(12, 5)))["filed"] == 1
    again = Miss.objects.get(day=today)
    assert again.streak == 2 and Task.objects.get(pk=again.task_id).priority == 1
    assert services.misses_file(now=clock.at(today, dt.time(13)))["filed"] == 0  # idempotent per person and day
    # a late report closes the day's missed-report task
    services.report_submit(token=services.link_token(e), temperature="36.5", now=clock.at(today, dt.time(14)))
    assert Task.objects.get(pk=again.task_id).status == "done"


def test_the_missed_sweep_at_half_past_midnight_files_only_the_day_before(city):
    e = _enrolled(city)
    today = clock.today()
    assert services.misses_file(now=clock.at(today, dt.time(0, 30)))["filed"] == 1
    assert Miss.objects.get(enrolment=e).day == today - dt.timedelta(days=1)


def test_reminders_go_through_the_outbox_once_per_round_with_the_link(city):
    e = _enrolled(city)
    done = _enrolled(city)
    unreachable = EnrolmentFactory(person=PersonFactory(grid=city.a_grid, phone="12"))
    today = clock.today()
    Report.objects.create(enrolment=done, day=today, at=clock.now(), temperature="36.5", region_path=done.region_path)
    assert services.reminders_send(now=clock.at(today, dt.time(7)))["sent"] == 0
    assert services.reminders_send(now=clock.at(today, dt.time(8, 5))) == {"sent": 1, "round": 1, "unreachable": 1}
    assert services.reminders_send(now=clock.at(today, dt.time(9)))["sent"] == 0
    assert services.reminders_send(now=clock.at(today, dt.time(11, 10)))["sent"] == 1
    assert services.reminders_send(now=clock.at(today, dt.time(12, 10)))["sent"] == 0  # past the cut-off
    assert Reminder.objects.filter(enrolment=e).count() == 2 and not Reminder.objects.filter(enrolment=done).exists()
    assert not Reminder.objects.filter(enrolment=unreachable).exists()
    messages = Message.objects.filter(kind="selfreport.reminder").order_by("id")
    assert [m.dedupe_key for m in messages] == [f"selfreport:{e.pk}:{today.isoformat()}", f"selfreport:{e.pk}:{today.isoformat()}:2"]
    assert messages[0].channel == "sms" and messages[0].recipient == "13912345678"
    assert services.link_token(e) in messages[0].body and "12:00" in messages[0].body and "尚未" in messages[1].body


def test_officers_see_their_area_masked_and_unmask_is_audited(city, cast, api_client):
    e = _enrolled(city)
    services.report_submit(token=services.link_token(e), temperature="38.0")
    page = api_client(cast.officer_a).get("/selfreport/")
    html = page.content.decode()
    assert page.status_code == 200 and "王*" in html and "王小明" not in html
    assert page.context["total"] == {"enrolled": 1, "reported": 1, "missing": 0, "fever": 1, "missed": 0}
    assert api_client(cast.officer_b).get(f"/selfreport/{e.pk}/").status_code == 404
    assert api_client(cast.officer_b).get("/selfreport/").context["total"]["enrolled"] == 0
    detail = api_client(cast.officer_a).get(f"/selfreport/{e.pk}/", {"unmask": "1"})
    assert "王小明" in detail.content.decode()
    assert AuditEntry.objects.filter(action="person.unmask").exists()
    assert api_client(cast.viewer_a).get(f"/selfreport/{e.pk}/", {"unmask": "1"}).status_code == 403


def test_the_officer_resends_the_link(city, cast, api_client):
    e = _enrolled(city)
    answer = api_client(cast.field_a).post(f"/selfreport/{e.pk}/", {"action": "resend"})
    assert answer.status_code == 302
    assert Reminder.objects.get(enrolment=e).round == 0 and AuditEntry.objects.filter(action="selfreport.link_resend").exists()
    api_client(cast.field_a).post(f"/selfreport/{e.pk}/", {"action": "resend"})
    assert Message.objects.filter(kind="selfreport.reminder", recipient="13912345678").count() == 2  # each resend is sent


def test_the_api_lists_summarises_and_takes_the_public_report(city, cast, api_client):
    e = _enrolled(city)
    _enrolled(city, grid=city.a_grid2)
    anonymous = api_client()
    answer = anonymous.post(f"/api/v1/selfreport/r/{services.link_token(e)}", {"answers": {"temperature": 37.5, "symptoms": ["none"]}},
                            content_type="application/json")
    assert answer.status_code == 201 and answer.json()["fever"] is True and answer.json()["name"] == "王"
    assert anonymous.post("/api/v1/selfreport/r/nope", {"temperature": 36.5}, content_type="application/json").status_code == 404
    refused = anonymous.post(f"/api/v1/selfreport/r/{services.link_token(e)}", {"answers": {"temperature": 37}}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"][0]["field"] == "symptoms"
    client = api_client(cast.officer_a)
    rows = client.get("/api/v1/selfreport/enrolments", {"state": "fever"}).json()
    assert rows["count"] == 1 and rows["items"][0]["name"] == "王**" and rows["items"][0]["phone"] == "139****5678"
    assert client.get("/api/v1/selfreport/enrolments", {"state": "missing"}).json()["count"] == 1
    summary = client.get("/api/v1/selfreport/summary", {"level": "street"}).json()
    assert summary["total"] == {"enrolled": 2, "reported": 1, "missing": 1, "fever": 1, "missed": 0}
    assert [a["region_path"] for a in summary["areas"]] == [city.a_street.path]
    assert client.get(f"/api/v1/selfreport/enrolments/{e.pk}/reports").json()["items"][0]["temperature"] == 37.5
    assert api_client(cast.officer_b).get("/api/v1/selfreport/summary").json()["total"]["enrolled"] == 0
    assert client.get("/api/v1/selfreport/summary", {"level": "planet"}).status_code == 400


def test_the_daily_report_figures_count_reporters_and_non_reporters(city):
    e = _enrolled(city)
    _enrolled(city)
    _enrolled(city, grid=city.b_grid)
    services.report_submit(token=services.link_token(e), temperature="36.4")
    figures = selectors.day_figures(region_path=city.a.path, day=clock.today())
    assert (figures["enrolled"], figures["reported"], figures["missing"]) == (2, 1, 1)
    assert selectors.day_figures(region_path=city.city.path, day=clock.today())["enrolled"] == 3
