"""A task's owner and deputy start and finish their own task whatever their role (a read-only viewer named on a task,
a sampler given a retest): on the page and through the API. Cancelling, escalating and reassigning stay with officers
who hold command.change, and someone else's task stays out of reach."""

import datetime as dt

import pytest

from cordon.command import services
from cordon.command.models import TaskStatus
from cordon.core import clock
from cordon.core.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _task(city, owner, deputy=None):
    return services.task_create_manual(actor=SYSTEM, title="核查密接", region_path=city.a_community.path,
                                       deadline=clock.now() + dt.timedelta(hours=4), owner_id=owner.pk,
                                       deputy_id=deputy.pk if deputy else None)


def test_the_owner_without_command_change_starts_and_closes_their_task_on_the_page(city, cast, api_client):
    task = _task(city, cast.viewer_a)
    client = api_client(cast.viewer_a)
    page = client.get(f"/command/tasks/{task.pk}/")
    assert page.status_code == 200 and page.context["can_work"] and not page.context["can_change"]
    assert f"/command/tasks/{task.pk}/close/" in page.content.decode()
    assert f"/command/tasks/{task.pk}/cancel/" not in page.content.decode()
    assert client.post(f"/command/tasks/{task.pk}/start/").status_code == 302
    assert client.post(f"/command/tasks/{task.pk}/close/", {"result": "已核查"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.result) == (TaskStatus.DONE, "已核查")


def test_the_deputy_closes_through_the_api_but_may_not_cancel(city, cast, api_client):
    task = _task(city, cast.officer_a, deputy=cast.viewer_a)
    client = api_client(cast.viewer_a)
    refused = client.post(f"/api/v1/command/tasks/{task.pk}/close", {"result": "x", "cancelled": True}, content_type="application/json")
    assert refused.status_code == 403
    done = client.post(f"/api/v1/command/tasks/{task.pk}/close", {"result": "完成"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_someone_elses_task_stays_out_of_reach(city, cast, api_client):
    task = _task(city, cast.officer_a)
    client = api_client(cast.viewer_a)
    assert client.post(f"/command/tasks/{task.pk}/close/", {"result": "x"}).status_code == 403
    assert client.post(f"/api/v1/command/tasks/{task.pk}/close", {"result": "x"}, content_type="application/json").status_code == 403
    other = _task(city, cast.officer_a)
    assert api_client(cast.officer_b).post(f"/api/v1/command/tasks/{other.pk}/close", {"result": "x"},
                                          content_type="application/json").status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
