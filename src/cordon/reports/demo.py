"""Demo data: metric snapshots of the city and its districts now, and yesterday's daily report."""

import datetime as dt

from cordon.core import clock
from cordon.reports import services


def seed(ctx) -> None:
    # One snapshot of the city and its districts now (the job keeps it fresh under `cordon serve`); the
    # report below adds the city at midnight, which the demo bulletin then reuses.
    services.snapshot_take(cut_off=ctx.now)
    report = services.report_generate(actor=ctx.accounts["commander"], report_date=ctx.today - dt.timedelta(days=1),
                                      remarks="继续做好重点人员管控和物资保障。")
    low = services.metrics.low_supplies(region_path=report.region_path)
    ctx.say(f"reports: snapshots at {clock.local(ctx.now):%H:%M} city time, daily report {report.number}; "
            f"low-supply alert: {len(low)} stock line(s) under their safety days")
