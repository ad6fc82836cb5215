"""The command pages through the shared layers: forms validate a task, an inspection, a dispatch post and the
statistics periods; the FilterSets filter each list page, its export and the API alike, and a bad value is named
instead of dropped."""

import datetime as dt

import pytest

from cordon.command.models import DispatchPost, Inspection, LedgerItem, Task
from cordon.core import clock
from cordon.core.testing import assert_filter_refused

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}  # the messages name the field by its label, in the user's language


def _minute(when) -> str:
    return clock.local(when).strftime("%Y-%m-%dT%H:%M")


def _file_task(client, city, **changes):
    data = {"title": "复核核酸漏检人员", "region_path": city.a_grid.path, "priority": "2",
            "deadline": _minute(clock.now() + dt.timedelta(hours=5)), "owner": "", "deputy": "", "detail": "", **changes}
    return client.post("/command/tasks/new/", data)


def _rows(answer) -> int:
    return answer.content.decode("utf-8-sig").strip().count("\n")


def test_an_officer_files_a_task_on_the_page_in_city_time(city, cast, api_client):
    deadline = (clock.now() + dt.timedelta(hours=5)).replace(second=0, microsecond=0)
    answer = _file_task(api_client(cast.officer_a), city, deadline=_minute(deadline))
    t = Task.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/command/tasks/{t.pk}/"
    assert t.deadline == deadline and t.priority == 2 and t.region_path == city.a_grid.path


def test_a_bad_task_names_the_field_and_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    for field, value in (("priority", "7"), ("deadline", "soon"), ("owner", "-3"), ("region_path", city.b_grid.path)):
        answer = _file_task(client, city, **{field: value})
        assert answer.status_code == 200 and field in answer.context["form"].errors, field
    assert not Task.objects.exists()


def test_the_task_list_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    _file_task(client, city)
    _file_task(client, city, title="Wedding check", priority="1")
    page = client.get("/command/tasks/", {"priority": "1"})
    assert [t.title for t in page.context["page"]] == ["Wedding check"]
    assert client.get("/api/v1/command/tasks", {"priority": 1}).json()["count"] == 1
    assert _rows(client.get("/command/tasks/", {"priority": "1", "export": "1", "format": "csv"})) == 1
    assert client.get("/api/v1/command/tasks", {"q": "wedding"}).json()["count"] == 1
    assert_filter_refused(client, api="/api/v1/command/tasks", page="/command/tasks/", field="status", value="nonsense")


def test_a_task_closed_on_the_page_and_a_bad_reassignment_named(city, cast, api_client):
    client = api_client(cast.officer_a)
    _file_task(client, city)
    t = Task.objects.get()
    answer = client.post(f"/command/tasks/{t.pk}/reassign/", {"owner": "nobody"}, follow=True, headers=EN)
    assert any("Owner" in str(m) for m in answer.context["messages"])
    client.post(f"/command/tasks/{t.pk}/close/", {"result": "已复核"})
    t.refresh_from_db()
    assert t.status == "done" and t.result == "已复核"


def test_an_inspection_with_a_bad_finding_writes_nothing(city, cast, api_client):
    client = api_client(cast.officer_a)
    base = {"region_path": city.a_grid.path, "place": "甲一小区北门", "f1_title": "北门无人值守", "f1_severity": "severe",
            "f1_owner": cast.officer_a.pk}
    answer = client.post("/command/ledger/inspect/", {**base, "f1_deadline": "tomorrow"})
    assert answer.status_code == 200 and "f1_deadline" in answer.context["form"].errors
    answer = client.post("/command/ledger/inspect/", {**base, "f1_deadline": _minute(clock.now() - dt.timedelta(days=1))})
    assert answer.status_code == 200 and answer.context["form"].errors  # the service refuses a deadline before the inspection
    assert not Inspection.objects.exists() and not LedgerItem.objects.exists()
    assert client.post("/command/ledger/inspect/", base).status_code == 302 and LedgerItem.objects.count() == 1


def test_the_ledger_page_export_and_api_filter_the_same_way(city, cast, api_client):
    client = api_client(cast.officer_a)
    for title, severity in (("北门无人值守", "severe"), ("灯坏了", "minor")):
        client.post("/command/ledger/inspect/", {"region_path": city.a_grid.path, "place": "p", "f1_title": title,
                                                 "f1_severity": severity, "f1_owner": cast.officer_a.pk})
    page = client.get("/command/ledger/", {"public": "1"})
    assert [i.title for i in page.context["page"]] == ["北门无人值守"]
    assert client.get("/api/v1/command/ledger", {"public": True}).json()["count"] == 1
    assert client.get("/api/v1/command/ledger", {"public": False}).json()["count"] == 1
    assert _rows(client.get("/command/ledger/", {"public": "1", "export": "1", "format": "csv"})) == 1
    assert client.get("/api/v1/command/ledger", {"severity": "bad"}).json()["error"]["fields"][0]["field"] == "severity"


def test_a_dispatch_post_bad_quantity_is_named_and_posts_filter_alike(city, cast, api_client):
    client = api_client(cast.officer_a)
    today = clock.today().isoformat()
    post = {"side": "request", "resource": "samplers", "quantity": "8", "region_path": city.a.path, "start": today, "end": today}
    answer = client.post("/command/dispatch/", {**post, "quantity": "0"}, headers=EN)
    assert answer.status_code == 200 and not DispatchPost.objects.exists()
    assert any("Quantity" in str(m) for m in answer.context["messages"])
    assert client.post("/command/dispatch/", post).status_code == 302
    client.post("/command/dispatch/", {**post, "side": "offer"})
    assert [p.side for p in client.get("/command/dispatch/", {"side": "offer"}).context["page"]] == ["offer"]
    assert client.get("/api/v1/command/dispatch/posts", {"side": "offer"}).json()["count"] == 1
    assert client.get("/api/v1/command/dispatch/matches", {"status": "nonsense"}).status_code == 400


def test_the_statistics_pages_name_a_bad_day_and_use_the_default(city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = client.get("/command/tasks/stats/", {"since": "yesterday", "by": "district"}, headers=EN)
    assert answer.status_code == 200 and answer.context["by"] == "district"
    assert any("From" in str(m) for m in answer.context["messages"])
    answer = client.get("/command/ledger/accountability/", {"start": "9999-12-31", "by": "street"})
    assert answer.status_code == 200 and answer.context["start"] == clock.today() - dt.timedelta(days=13) and answer.context["by"] == "street"
