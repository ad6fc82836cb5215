import datetime as dt

import pytest

from cordon.core import access, clock
from cordon.core.models import AuditEntry
from cordon.livelihood import factories, services
from cordon.livelihood.models import LoopPlan, LoopStaff

pytestmark = pytest.mark.django_db


def _staff(plan, n):
    from cordon.core.ids import make_id_number

    return LoopStaff.objects.create(plan=plan, region_path=plan.region_path, name=f"员工{n}",
                                    id_number=make_id_number("110105", dt.date(1985, 1, n), 700 + n, "M"), phone=f"1390000{n:04d}")


def test_closed_loop_staff_of_plans_past_retention_are_pseudonymised_and_current_ones_kept(city):
    old_plan, current = factories.plan(city.a_community), factories.plan(city.a_community)
    LoopPlan.objects.filter(pk=old_plan.pk).update(end=clock.today() - dt.timedelta(days=200))
    old, kept = _staff(old_plan, 1), _staff(current, 2)
    original = old.id_number
    assert services.retention_run(actor=access.system("tests"), days=180, dry_run=True)["staff"] == 1
    assert LoopStaff.objects.get(pk=old.pk).name == "员工1"  # a dry run changes nothing
    assert services.retention_run(actor=access.system("tests"), days=180)["staff"] == 1
    old.refresh_from_db()
    assert (old.name, old.phone) == ("已脱敏", "") and old.id_number != original and len(old.id_number) == 18
    assert LoopStaff.objects.get(pk=kept.pk).name == "员工2"
    assert AuditEntry.objects.get(action="livelihood.retention").changes["staff"] == 1


def test_the_retention_command_covers_returnees_passes_and_closed_loop_staff(city, capsys):
    from django.core.management import call_command

    call_command("retention", "--dry-run", "--days", "180")
    out = capsys.readouterr().out
    assert "would pseudonymise 0 returnees, 0 compound passes and 0 closed-loop staff" in out
