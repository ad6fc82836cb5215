import datetime as dt
import io
import zoneinfo

import pytest
from docx import Document

from cordon.command import events as command_events
from cordon.command import selectors
from cordon.command import services as command_services
from cordon.command.models import DailyReport, MetricSnapshot
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM
from cordon.reports import jobs, metrics, receivers, report_docx, services

pytestmark = pytest.mark.django_db


def test_the_daily_report_prints_the_cut_off_in_city_time(city, cast):
    cut = dt.datetime(2027, 1, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))  # 16:00 UTC the day before
    report = DailyReport(title="日报", cut_off=cut, region_path=city.city.path, data={}, version=1, number="市防控〔2027〕1号",
                         report_date=cut.date())
    text = "".join(p.text for p in Document(io.BytesIO(report_docx.render(report))).paragraphs)
    assert "2027年01月01日00时" in text and "16时" not in text


def test_snapshots_hold_the_figures_of_the_city_and_each_district(city, cast):
    now = clock.now()
    command_services.task_create(actor=SYSTEM, title="late", kind="manual", region_path=city.a_grid.path,
                                 deadline=now - dt.timedelta(hours=2), owner=cast.officer_a)
    snaps = services.snapshot_take(cut_off=now + dt.timedelta(minutes=1))
    assert {s.region_path for s in snaps} == {city.city.path, city.a.path, city.b.path}
    city_snap = MetricSnapshot.objects.get(region_path=city.city.path)
    assert city_snap.data["figures"]["tasks_overdue"] == 1
    assert city_snap.data["late"]["tasks"][0]["owner"] == cast.officer_a.username
    assert MetricSnapshot.objects.get(region_path=city.b.path).data["figures"]["tasks_overdue"] == 0
    assert selectors.snapshot_latest(actor=cast.officer_a).region_path == city.a.path


def test_the_snapshot_job_runs_through_the_tasks_framework(city):
    result = jobs.snapshot_metrics.enqueue()
    assert result.return_value["snapshots"] == 3


def test_the_daily_report_is_a_government_style_docx_and_every_regeneration_is_a_new_version(city, cast):
    day = clock.today() - dt.timedelta(days=1)
    r1 = services.report_generate(actor=cast.commander, report_date=day, remarks="继续加强社区管控")
    r2 = services.report_generate(actor=cast.commander, report_date=day)
    assert (r1.version, r2.version) == (1, 2) and r1.number == r2.number and "防指〔" in r1.number
    doc = Document(io.BytesIO(report_docx.render(r1)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "疫情防控指挥部" in text and r1.number in text and "六、督查督办" in text and "继续加强社区管控" in text
    assert f"超时任务{r1.data['figures']['tasks_overdue']}" in text
    with pytest.raises(ServiceError):
        services.report_generate(actor=cast.commander, report_date=clock.today() + dt.timedelta(days=1))


def test_every_figure_is_computed_from_its_module_never_reported_missing(city):
    # Each figure reads its module through a normal import: none is None for want of a module (only the supply
    # cover, which has no value without consumption), and there is no "unavailable" list any more.
    out = metrics.figures(region_path=city.city.path, cut_off=clock.now())
    assert set(out) == set(metrics.FIGURES)
    assert [k for k, v in out.items() if v is None] == ["supply_min_days"]
    assert out["tasks_open"] == 0
    data = metrics.snapshot_data(region_path=city.city.path, cut_off=clock.now())
    assert len(data["trend"]["cases"]) == len(data["trend"]["contacts"]) == metrics.TREND_DAYS
    assert all(row[k] is not None for row in data["map"]["districts"] for k in ("cases_total", "zones", "sites"))


def test_reports_answers_the_region_of_every_object_type_command_names():
    assert set(receivers.LOCATED) == set(command_events.OBJECT_TYPES_ABOVE)
    assert command_events.OBJECT_REGION.answerer is receivers.object_region


def test_a_responsibility_for_a_named_site_sits_at_the_site_region_and_a_missing_one_names_the_field(city, cast):
    from cordon.quarantine.factories import SiteFactory

    site = SiteFactory(region=city.a)
    r = command_services.responsibility_assign(actor=cast.commander, object_type="site", object_id=str(site.pk), label="隔离点包保",
                                               responsible_id=cast.officer_a.pk)
    assert r.region_path == site.region_path
    with pytest.raises(ServiceError) as exc:
        command_services.responsibility_assign(actor=cast.commander, object_type="zone", object_id="987654", label="x",
                                               responsible_id=cast.officer_a.pk)
    assert exc.value.fields[0]["field"] == "object_id"


def test_the_daily_report_names_the_person_next_to_their_post_for_each_late_item(city, cast, api_client):
    command_services.task_create(actor=SYSTEM, title="逾期核查", kind="manual", region_path=city.a_grid.path,
                                 deadline=clock.now() - dt.timedelta(hours=5), owner=cast.officer_a)
    cast.officer_a.first_name = "王强"
    cast.officer_a.save()
    report = services.report_generate(actor=cast.commander, report_date=clock.today())
    late = report.data["late"]["tasks"][0]
    assert late["owner"] == "王强" and late["post"] == f"{city.a.name} 区县干部"
    cells = [c.text for t in Document(io.BytesIO(report_docx.render(report))).tables for r in t.rows for c in r.cells]
    assert f"王强（{city.a.name} 区县干部）" in cells
    assert f"王强 <small>（{city.a.name} 区县干部）</small>" in api_client(cast.commander).get(f"/command/reports/{report.pk}/").content.decode()
