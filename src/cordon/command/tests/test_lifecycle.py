"""Task and ledger-item lifecycles as data: the services refuse a step the lifecycle does not allow (naming the status),
through the API and the pages too, and the pages offer only the allowed next steps."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cordon.command import services
from cordon.command.enums import LEDGER_LIFECYCLE, LedgerStatus
from cordon.command.models import TASK_LIFECYCLE, LedgerItem, Task, TaskStatus
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _refused(call):
    with pytest.raises(ServiceError) as e:
        call()
    assert e.value.status == 409 and e.value.code == "transition" and e.value.fields[0]["field"] == "status", e.value.as_dict()


def _task(city, owner):
    return services.task_create_manual(actor=SYSTEM, title="核查密接", region_path=city.a_community.path,
                                       deadline=clock.now() + dt.timedelta(hours=4), owner_id=owner.pk)


def _forms(page: str) -> set[str]:
    return {verb for verb in ("start", "close", "cancel", "escalate", "reassign", "rectify", "pass", "fail")
            if f"/{verb}/\"" in page}


def test_the_refusal_names_the_task_status_in_the_users_language(city, cast):
    task = _task(city, cast.officer_a)
    services.task_close(actor=cast.officer_a, task=task, result="ok")
    for language, done in (("en", "is Done can"), ("zh-hans", "“已办结”")):
        with translation.override(language), pytest.raises(ServiceError) as e:
            services.task_start(actor=cast.officer_a, task=task)
        assert done in e.value.message, (language, e.value.message)


def test_the_task_list_filters_offer_the_statuses_and_priorities_in_the_users_language(city, cast, client):
    client.force_login(cast.officer_a)
    page = client.get("/command/tasks/", headers={"accept-language": "en"}).content.decode()
    assert '<option value="in_progress">In progress</option>' in page and '<option value="1">Urgent</option>' in page
    page = client.get("/command/tasks/?status=done", headers={"accept-language": "zh-hans"}).content.decode()
    assert '<option value="done" selected>已办结</option>' in page


def test_a_task_in_hand_is_not_started_again_and_a_closed_one_never_moves(city, cast):
    task = _task(city, cast.officer_a)
    services.task_start(actor=cast.officer_a, task=task)
    _refused(lambda: services.task_start(actor=cast.officer_a, task=task))
    services.task_close(actor=cast.officer_a, task=task, result="ok")
    _refused(lambda: services.task_close(actor=cast.officer_a, task=task, cancelled=True))
    _refused(lambda: services.task_start(actor=cast.officer_a, task=task))
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and set(TASK_LIFECYCLE.allowed(TaskStatus.DONE)) == set()


def test_the_api_refuses_closing_a_cancelled_task_naming_the_status(city, cast, api_client):
    task = _task(city, cast.officer_a)
    got = api_client(cast.officer_a).get(f"/api/v1/command/tasks/{task.pk}")
    assert got.json()["next_statuses"] == ["in_progress", "done", "cancelled"]
    services.task_close(actor=cast.officer_a, task=task, cancelled=True)
    assert api_client(cast.officer_a).get(f"/api/v1/command/tasks/{task.pk}").json()["next_statuses"] == []
    r = api_client(cast.officer_a).post(f"/api/v1/command/tasks/{task.pk}/close", {"result": "x"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "status"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_the_task_page_offers_only_the_steps_its_status_allows(city, cast, api_client):
    task = _task(city, cast.officer_a)
    client = api_client(cast.officer_a)
    assert _forms(client.get(f"/command/tasks/{task.pk}/").content.decode()) == {"start", "close", "cancel", "escalate", "reassign"}
    services.task_start(actor=cast.officer_a, task=task)
    assert _forms(client.get(f"/command/tasks/{task.pk}/").content.decode()) == {"close", "cancel", "escalate", "reassign"}
    client.post(f"/command/tasks/{task.pk}/start/")  # a start posted by hand on a task in hand changes nothing
    services.task_close(actor=cast.officer_a, task=task, result="ok")
    assert _forms(client.get(f"/command/tasks/{task.pk}/").content.decode()) == set()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def _item(city, cast):
    insp = services.inspection_record(actor=cast.commander, region_path=city.a_grid.path, place="甲一小区北门",
                                      findings=[{"title": "未扫码", "owner_id": cast.officer_a.pk}])
    return insp.items.get()


def test_a_ledger_item_is_rectified_only_when_open_and_re_inspected_only_when_rectified(city, cast):
    item = _item(city, cast)
    _refused(lambda: services.ledger_reinspect(actor=cast.commander, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg")))
    _refused(lambda: services.ledger_reinspect(actor=cast.commander, item=item, passed=False,
                                               new_deadline=clock.now() + dt.timedelta(hours=3)))
    services.ledger_rectify(actor=cast.officer_a, item=item, rectification="已安排专人")
    _refused(lambda: services.ledger_rectify(actor=cast.officer_a, item=item, rectification="again"))
    services.ledger_reinspect(actor=cast.commander, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg"))
    _refused(lambda: services.ledger_rectify(actor=cast.officer_a, item=item, rectification="after closing"))
    item.refresh_from_db()
    assert item.status == LedgerStatus.CLOSED and LEDGER_LIFECYCLE.allowed(item.status) == ()


def test_the_api_refuses_re_inspecting_an_open_item_naming_the_status(city, cast, api_client):
    item = _item(city, cast)
    r = api_client(cast.commander).post(f"/api/v1/command/ledger/{item.pk}/reinspect",
                                        {"passed": False, "new_deadline": (clock.now() + dt.timedelta(hours=3)).isoformat()},
                                        content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition", r.content
    assert LedgerItem.objects.get(pk=item.pk).status == LedgerStatus.OPEN
    assert api_client(cast.commander).get(f"/api/v1/command/ledger/{item.pk}").json()["next_statuses"] == ["rectified"]


def test_the_ledger_page_offers_only_the_steps_the_item_status_allows(city, cast, api_client):
    item = _item(city, cast)
    client = api_client(cast.commander)
    assert _forms(client.get(f"/command/ledger/{item.pk}/").content.decode()) == {"rectify"}
    services.ledger_rectify(actor=cast.officer_a, item=item, rectification="已安排专人")
    assert _forms(client.get(f"/command/ledger/{item.pk}/").content.decode()) == {"pass", "fail"}
    services.ledger_reinspect(actor=cast.commander, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg"))
    assert _forms(client.get(f"/command/ledger/{item.pk}/").content.decode()) == set()


def test_the_ledger_status_field_takes_only_the_lifecycle_statuses():
    assert [v for v, _label in LedgerItem._meta.get_field("status").choices] == list(LEDGER_LIFECYCLE.transitions)
