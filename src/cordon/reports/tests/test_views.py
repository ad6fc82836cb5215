import datetime as dt

import pytest
from django.core.cache import cache

from cordon.command import selectors
from cordon.command import services as command_services
from cordon.command.models import MetricSnapshot, Task
from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.reports import services

pytestmark = pytest.mark.django_db


def test_the_dashboard_reads_the_snapshot_and_shows_what_is_late_and_whose(city, cast, api_client, django_capture_on_commit_callbacks):
    cache.clear()
    command_services.task_create(actor=SYSTEM, title="隔离点转运超时", kind="manual", region_path=city.a_grid.path,
                                 deadline=clock.now() - dt.timedelta(hours=3), owner=cast.officer_a)
    Task.objects.update(created_at=clock.now() - dt.timedelta(hours=4))
    c = api_client(cast.commander)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get("/command/")
    assert r.status_code == 200
    assert MetricSnapshot.objects.filter(region_path=city.city.path).exists()  # first visit queued the job (immediate in tests)
    r = c.get("/command/")
    body = r.content.decode()
    assert "隔离点转运超时" in body and "officer_a" in body and 'data-figure="tasks_overdue"' in body


def test_the_dashboard_never_computes_figures_in_the_request_when_a_fresh_snapshot_exists(city, cast, api_client, django_assert_max_num_queries):
    services.snapshot_take(cut_off=clock.now())
    c = api_client(cast.commander)
    c.get("/command/")
    with django_assert_max_num_queries(12):
        assert c.get("/command/").status_code == 200


def test_the_daily_report_page_and_docx_download(city, cast, api_client):
    c = api_client(cast.commander)
    r = c.post("/command/reports/", {"report_date": (clock.today() - dt.timedelta(days=1)).isoformat(), "region_path": city.city.path})
    assert r.status_code == 302
    report = selectors.report_list(actor=cast.commander).get()
    assert report.number in c.get(f"/command/reports/{report.pk}/").content.decode()
    d = c.get(f"/command/reports/{report.pk}/docx/")
    assert d.status_code == 200 and d.content[:2] == b"PK"
