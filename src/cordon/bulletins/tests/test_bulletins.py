import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cordon.bulletins import selectors, services
from cordon.command import services as command_services
from cordon.command.models import MetricSnapshot
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM
from cordon.reports import metrics
from cordon.reports import services as reports_services

pytestmark = pytest.mark.django_db


def _late_tasks(city, cast, n):
    for i in range(n):
        command_services.task_create(actor=SYSTEM, title=f"超时{i}", kind="manual", region_path=city.a_grid.path,
                                     deadline=clock.now() - dt.timedelta(hours=3), owner=cast.officer_a)


def _cases(city, n):
    """Confirmed cases straight in the table when the cases module has its model (the figure is None otherwise)."""
    try:
        from cordon.cases.models import Case
        from cordon.people.factories import PersonFactory
    except ImportError:
        return
    for _ in range(n):
        Case.objects.create(person=PersonFactory(grid=city.a_grid), region_path=city.a_grid.path, kind="confirmed",
                            found_by="community", confirmed_at=clock.now() - dt.timedelta(hours=2))


def test_a_published_number_equals_the_internal_metric_and_the_dashboard_for_the_same_cut_off(city, cast):
    from cordon.command.models import Task

    _late_tasks(city, cast, 3)
    Task.objects.update(created_at=clock.now() - dt.timedelta(hours=1))
    _cases(city, 2)
    cut = clock.now().replace(second=0, microsecond=0)
    reports_services.snapshot_take(cut_off=cut)
    _late_tasks(city, cast, 4)  # after the cut-off: must not change the published figures
    b = services.bulletin_draft(actor=cast.commander, cut_off=cut,
                                body="截至{date}，超时任务{tasks_overdue}项，新增阳性{cases_new}例。")
    services.bulletin_approve(actor=cast.commander, bulletin=b)
    services.bulletin_publish(actor=cast.commander, bulletin=b)
    internal = metrics.figures(region_path=city.city.path, cut_off=cut)
    dashboard = MetricSnapshot.objects.get(region_path=city.city.path, cut_off=cut).data["figures"]
    assert b.figures["tasks_overdue"] == internal["tasks_overdue"] == dashboard["tasks_overdue"] == 3
    assert b.figures["cases_new"] == internal["cases_new"] == dashboard["cases_new"]
    assert f"超时任务{internal['tasks_overdue']}项" in b.published_text
    expected_cases = "—" if internal["cases_new"] is None else str(internal["cases_new"])
    assert f"新增阳性{expected_cases}例" in b.published_text


def test_a_bulletin_is_published_only_after_approval_and_keeps_every_version(city, cast):
    b = services.bulletin_draft(actor=cast.officer_a, region_path=city.a.path)
    with pytest.raises(ServiceError):
        services.bulletin_publish(actor=cast.officer_a, bulletin=b)
    services.bulletin_edit(actor=cast.officer_a, bulletin=b, title="{region}通报", body="在管风险人员{risk_people_open}人")
    services.bulletin_approve(actor=cast.officer_a, bulletin=b)
    services.bulletin_publish(actor=cast.officer_a, bulletin=b)
    assert b.published_text.startswith("甲区通报")
    assert [v.note for v in b.versions.order_by("id")] == ["draft", "edit", "approved", "published"]
    assert list(selectors.published()) == [b]
    with pytest.raises(ServiceError):
        services.bulletin_edit(actor=cast.officer_a, bulletin=b, title="x", body="y")
    services.bulletin_withdraw(actor=cast.officer_a, bulletin=b, reason="数据更正")
    assert list(selectors.published()) == []


def test_unknown_placeholders_are_refused_naming_the_field(city, cast):
    b = services.bulletin_draft(actor=cast.commander)
    with pytest.raises(ServiceError) as exc:
        services.bulletin_edit(actor=cast.commander, bulletin=b, title="t", body="新增{made_up_number}例")
    assert exc.value.fields[0]["field"] == "body" and "made_up_number" in exc.value.message


def test_a_street_officer_cannot_publish(city, cast):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    street = get_user_model().objects.create_user(username="s", password="pw-for-tests-1")
    Post.objects.create(user=street, role="street_officer", region=city.a_street)
    b = services.bulletin_draft(actor=cast.officer_a, region_path=city.a.path)
    services.bulletin_approve(actor=cast.officer_a, bulletin=b)
    with pytest.raises(PermissionDenied):
        services.bulletin_publish(actor=street, bulletin=b)


def test_the_public_portal_needs_no_login_and_shows_only_published_text(city, cast, client):
    b = services.bulletin_draft(actor=cast.commander, body="超时任务{tasks_overdue}项")
    r = client.get("/bulletins/portal/")
    assert r.status_code == 200 and "超时任务" not in r.content.decode()
    services.bulletin_approve(actor=cast.commander, bulletin=b)
    services.bulletin_publish(actor=cast.commander, bulletin=b)
    r = client.get("/bulletins/portal/")
    assert r.status_code == 200 and "12345" in r.content.decode()
    assert 'href="/checkpoints/code/"' in r.content.decode()  # residents reach their health code from the portal
    assert client.get("/checkpoints/code/").status_code == 200
    r = client.get(f"/bulletins/portal/{b.pk}/")
    assert r.status_code == 200 and "超时任务0项" in r.content.decode()
    assert client.get("/api/v1/bulletins/public").json()[0]["id"] == b.pk


def test_officers_draft_edit_approve_and_publish_through_the_pages(city, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/bulletins/", {"region_path": city.a.path})
    assert r.status_code == 302
    b = selectors.bulletin_list(actor=cast.officer_a).get()
    assert c.get(f"/bulletins/{b.pk}/").status_code == 200
    c.post(f"/bulletins/{b.pk}/edit/", {"title": "{region}{date}通报", "body": "超时任务{tasks_overdue}项"})
    c.post(f"/bulletins/{b.pk}/approve/")
    c.post(f"/bulletins/{b.pk}/publish/")
    b.refresh_from_db()
    assert b.status == "published" and "超时任务0项" in b.published_text
    assert c.get("/bulletins/?status=published").status_code == 200


@pytest.mark.django_db
def test_the_bulletin_list_and_api_show_titles_with_the_figures_filled_in(city, cast, client):
    b = services.bulletin_draft(actor=cast.commander)
    client.force_login(cast.commander)
    page = client.get("/bulletins/").content.decode()
    assert "{region}" not in page and "{date}" not in page and services.rendered(b)[0] in page
    body = client.get(f"/api/v1/bulletins/{b.pk}").json()
    assert body["display_title"] == services.rendered(b)[0] and "{" not in body["display_title"]


@pytest.mark.django_db
def test_a_cut_off_years_ago_is_refused_naming_the_field(city, cast):
    with pytest.raises(ServiceError) as e:
        services.bulletin_draft(actor=cast.commander, cut_off=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    assert e.value.fields[0]["field"] == "cut_off"


def test_a_cut_off_before_the_outbreak_began_is_refused_and_one_after_it_is_drafted(city, cast):
    from cordon.cases.models import Case
    from cordon.people.factories import PersonFactory

    first = clock.now() - dt.timedelta(days=3)
    Case.objects.create(person=PersonFactory(grid=city.a_grid), region_path=city.a_grid.path, kind="confirmed",
                        found_by="community", confirmed_at=first)
    with pytest.raises(ServiceError) as e:
        services.bulletin_draft(actor=cast.commander, cut_off=first - dt.timedelta(days=2))
    assert e.value.fields[0]["field"] == "cut_off"
    assert services.bulletin_draft(actor=cast.commander, cut_off=clock.day_start(clock.today())).pk


def test_a_text_that_would_publish_a_brace_is_refused_and_the_published_title_has_every_figure_filled(city, cast):
    with pytest.raises(ServiceError) as e:
        services.bulletin_draft(actor=cast.commander, title="{region}通报 {{cases_new}}")  # doubled braces print a placeholder
    assert e.value.fields[0]["field"] == "title"
    b = services.bulletin_draft(actor=cast.commander)
    with pytest.raises(ServiceError) as e:
        services.bulletin_edit(actor=cast.commander, bulletin=b, title=b.title, body="新增{cases_new}例 }")
    assert e.value.fields[0]["field"] == "body"
    services.bulletin_approve(actor=cast.commander, bulletin=b)
    services.bulletin_publish(actor=cast.commander, bulletin=b)
    b.refresh_from_db()
    assert "{" not in b.published_text and "}" not in b.published_text and b.public_title.endswith("疫情防控情况通报")
    assert [v.status for v in b.versions.order_by("id")] == ["draft", "approved", "published"]
