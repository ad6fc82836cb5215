import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_every_command_screen_and_a_published_bulletin(city):
    from cordon.bulletins import demo as bulletins_demo
    from cordon.bulletins.models import Bulletin
    from cordon.command import demo
    from cordon.command.models import DailyReport, DispatchMatch, LedgerItem, MetricSnapshot, Task
    from cordon.core.demo import DemoContext
    from cordon.reports import demo as reports_demo
    from cordon.sim.demo_accounts import ensure_accounts

    ctx = DemoContext(seed=1, accounts=ensure_accounts())
    demo.seed(ctx)
    reports_demo.seed(ctx)  # the snapshots and the daily report (reports.demo, after command's in CORDON_APPS order)
    bulletins_demo.seed(ctx)
    assert Task.objects.filter(status="done").exists() and Task.objects.filter(status="open").exists()
    assert Task.objects.filter(escalation_level__gt=0).exists()
    assert set(LedgerItem.objects.values_list("status", flat=True)) >= {"open", "closed"}
    assert DispatchMatch.objects.filter(status="dispatched").exists()
    assert DailyReport.objects.exists() and MetricSnapshot.objects.count() >= 4
    assert Bulletin.objects.filter(status="published").count() == 1
