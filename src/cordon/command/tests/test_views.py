import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.command import selectors
from cordon.command.models import Task
from cordon.core import clock

pytestmark = pytest.mark.django_db


def test_an_officer_files_a_task_by_hand_and_closes_it(city, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/command/tasks/new/", {"title": "复核核酸漏检人员", "region_path": city.a_grid.path, "priority": "2",
                                       "deadline": (clock.local() + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
                                       "owner": cast.officer_a.pk, "deputy": cast.viewer_a.pk})
    t = Task.objects.get(title="复核核酸漏检人员")
    assert r.status_code == 302 and t.owner == cast.officer_a
    assert "复核核酸漏检人员" in c.get("/command/tasks/?q=复核").content.decode()
    assert c.get("/command/tasks/?export=1")["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "viewer_a" in c.get(f"/command/tasks/{t.pk}/").content.decode()
    c.post(f"/command/tasks/{t.pk}/close/", {"result": "已复核"})
    t.refresh_from_db()
    assert t.status == "done"
    assert c.get("/command/tasks/stats/?by=district").status_code == 200


def test_a_bad_task_form_names_the_field(city, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/command/tasks/new/", {"title": "", "region_path": city.a_grid.path, "deadline": "2026-12-01T10:00"}, follow=True)
    assert "title" in r.content.decode() and not Task.objects.exists()


def test_an_inspector_records_findings_and_the_ledger_is_worked_to_closure_in_the_pages(city, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/command/ledger/inspect/", {"region_path": city.a_grid.path, "place": "甲一小区北门", "c0": "no",
                                            "f1_title": "北门无人值守", "f1_severity": "severe", "f1_owner": cast.officer_a.pk})
    assert r.status_code == 302
    item = selectors.ledger_list(actor=cast.officer_a).get()
    assert item.public_tracking
    assert "北门无人值守" in c.get("/command/ledger/").content.decode()
    c.post(f"/command/ledger/{item.pk}/rectify/", {"rectification": "安排专人值守"})
    c.post(f"/command/ledger/{item.pk}/pass/", {"note": "复查合格"})  # the rectifier may not close it
    item.refresh_from_db()
    assert item.status == "rectified"
    hq = api_client(cast.commander)
    page = hq.post(f"/command/ledger/{item.pk}/pass/", {"note": "复查合格"}, follow=True)  # closing needs evidence
    item.refresh_from_db()
    assert item.status == "rectified" and "evidence" in page.content.decode()
    hq.post(f"/command/ledger/{item.pk}/pass/", {"note": "复查合格", "file": SimpleUploadedFile("gate.jpg", b"\xff\xd8 jpeg")})
    item.refresh_from_db()
    assert item.status == "closed"
    history = hq.get(f"/command/ledger/{item.pk}/").content.decode()
    assert "rectified" in history and "passed" in history and "gate.jpg" in history
    assert "甲区" in c.get("/command/ledger/accountability/").content.decode()
    assert "北门无人值守" in api_client(None).get("/bulletins/portal/").content.decode()


def test_responsibility_pages_list_what_a_person_answers_for(city, cast, api_client):
    c = api_client(cast.officer_a)
    c.post("/command/responsibilities/", {"object_type": "region", "region_path": city.a_grid.path, "label": "甲一第1网格包保",
                                          "responsible": cast.officer_a.pk, "deputy": cast.viewer_a.pk})
    assert "甲一第1网格包保" in c.get(f"/command/people/{cast.viewer_a.pk}/").content.decode()
    assert "甲一第1网格包保" in c.get("/command/responsibilities/").content.decode()


def test_dispatch_is_suggested_approved_and_returned_through_the_pages(city, cast, api_client):
    today = clock.today().isoformat()
    api_client(cast.officer_a).post("/command/dispatch/", {"side": "request", "resource": "samplers", "quantity": "8",
                                                           "region_path": city.a.path, "start": today, "end": today})
    api_client(cast.officer_b).post("/command/dispatch/", {"side": "offer", "resource": "samplers", "quantity": "10",
                                                           "region_path": city.b.path, "start": today, "end": today})
    c = api_client(cast.commander)
    c.post("/command/dispatch/", {"suggest": "1"})
    m = selectors.dispatch_matches(actor=cast.commander).get()
    assert m.quantity == 8
    c.post(f"/command/dispatch/{m.pk}/approve/")
    c.post(f"/command/dispatch/{m.pk}/advance/")
    c.post(f"/command/dispatch/{m.pk}/advance/")
    m.refresh_from_db()
    assert m.status == "returned"
    assert "乙区" in c.get("/command/dispatch/").content.decode()


def test_the_api_files_lists_and_escalates_tasks(city, cast, api_client):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    street = get_user_model().objects.create_user(username="street", password="pw-for-tests-1")
    Post.objects.create(user=street, role="street_officer", region=city.a_street)
    c = api_client(cast.officer_a)
    r = c.post("/api/v1/command/tasks", {"title": "x", "region_path": city.a_grid.path, "owner_id": street.pk,
                                         "deadline": (clock.now() - dt.timedelta(hours=1)).isoformat()}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert c.get("/api/v1/command/tasks?overdue=true").json()["count"] == 1
    r = c.post(f"/api/v1/command/tasks/{pk}/escalate")
    assert r.json()["owner_id"] == cast.officer_a.pk and r.json()["escalation_level"] == 1
    bad = c.post("/api/v1/command/inspections", {"region_path": city.a_grid.path, "place": "p",
                                                  "findings": [{"title": "t", "owner_id": 999999}]}, content_type="application/json",
               headers={"Accept-Language": "en"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0] == {"field": "owner_id", "message": "no active user 999999", "row": 1}
