"""Writes of reports: metric snapshots (the dashboard reads only these) and the daily situation report
(每日疫情防控工作情况报告), a new version each time it is generated."""

import datetime as dt
import json
import time

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cordon.command.models import DailyReport, MetricSnapshot
from cordon.command.services.common import require_change
from cordon.core import access, audit, clock, policy
from cordon.core.errors import ServiceError
from cordon.regions.models import Level, Region
from cordon.regions.selectors import root_path
from cordon.reports import metrics


def json_safe(value):
    """Plain JSON values (dates as ISO text)."""
    return json.loads(json.dumps(value, default=str))


def snapshot_take(*, cut_off: dt.datetime | None = None, region_paths: list[str] | None = None) -> list:
    """Compute and store the figures of the city and every district at a cut-off (the dashboard reads only these)."""
    cut_off = (cut_off or clock.now()).replace(second=0, microsecond=0)
    if region_paths is None:
        region_paths = list(Region.objects.filter(level__in=[Level.CITY, Level.DISTRICT]).order_by("level", "path")
                            .values_list("path", flat=True))
    out = []
    for path in region_paths:
        started = time.perf_counter()
        data = metrics.snapshot_data(region_path=path, cut_off=cut_off)
        snap, _ = MetricSnapshot.objects.update_or_create(region_path=path, cut_off=cut_off, defaults={
            "data": json_safe(data), "seconds": round(time.perf_counter() - started, 3)})
        out.append(snap)
    return out


def figures_at(*, region_path: str, cut_off: dt.datetime) -> dict:
    """The figures for a region at an exact cut-off: the stored snapshot, taken now if missing (same definition either way)."""
    cut_off = cut_off.replace(second=0, microsecond=0)
    snap = MetricSnapshot.objects.filter(region_path=region_path, cut_off=cut_off).first()
    if snap is None:
        snap = snapshot_take(cut_off=cut_off, region_paths=[region_path])[0]
    return snap.data["figures"]


def report_cut_off(report_date: dt.date) -> dt.datetime:
    """Reports cover the day 0-24h: the cut-off is midnight at the end of the day."""
    return clock.day_start(report_date + dt.timedelta(days=1))


def report_generate(*, actor, report_date: dt.date, region_path: str = "", remarks: str = "") -> DailyReport:
    """Generate the daily situation report (每日疫情防控工作情况报告) from the figures at the day's cut-off; a new version each time."""
    region_path = region_path or root_path()
    region = Region.objects.filter(path=region_path).first()
    if region is None:
        raise ServiceError.field("region_path", _("unknown region %(region_path)r") % {"region_path": region_path})
    require_change(actor, region_path)
    if report_date is None or report_date > clock.today():
        raise ServiceError.field("report_date", _("must be today or earlier"))
    cut_off = report_cut_off(report_date)
    figures = figures_at(region_path=region_path, cut_off=min(cut_off, clock.now()))
    ruleset = policy.in_force(report_date)
    with transaction.atomic():
        version = (DailyReport.objects.filter(region_path=region_path, report_date=report_date).aggregate(v=Max("version"))["v"] or 0) + 1
        seq = DailyReport.objects.filter(region_path=region_path, report_date__year=report_date.year, version=1).count() + (1 if version == 1 else 0)
        if version > 1:
            seq = DailyReport.objects.filter(region_path=region_path, report_date=report_date, version=1).values_list("number", flat=True).first()
        prefix = region.name[:2] + ruleset.get("command.report_number_prefix", "防指")
        number = seq if isinstance(seq, str) else f"{prefix}〔{report_date.year}〕{seq}号"
        report = DailyReport.objects.create(
            region_path=region_path, report_date=report_date, cut_off=cut_off, version=version, number=number,
            title=f"关于{report_date.month}月{report_date.day}日{region.name}疫情防控工作情况的报告",
            data={"figures": figures, "issuer": f"{region.name}{ruleset.get('command.report_issuer', '疫情防控指挥部')}",
                  "region": region.name, "ruleset": ruleset.code, "late": _late_summary(region_path, cut_off),
                  "supply_low": json_safe(metrics.low_supplies(region_path=region_path)[:10])},
            remarks=remarks, created_by=access.user_or_none(actor))
        audit.record(actor, "report.generate", report, changes={"date": report_date, "version": version, "number": number})
    return report


def _late_summary(region_path: str, cut_off: dt.datetime) -> dict:
    return json_safe(metrics.late_items(region_path=region_path, cut_off=min(cut_off, clock.now()), limit=10))
