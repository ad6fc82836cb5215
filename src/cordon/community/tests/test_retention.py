import datetime as dt

import pytest
from django.core.management import call_command

from cordon.community import services
from cordon.community.models import EntrancePass, Returnee
from cordon.core import access, audit, clock
from cordon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _returnee(city, n, arrived):
    from cordon.core.ids import make_id_number

    return Returnee.objects.create(village=city.a_community, region_path=city.a_community.path, name=f"返乡{n}",
                                   id_number=make_id_number("110105", dt.date(1980, 1, 1 + n), 100 + n, "M"),
                                   phone=f"1370000{n:04d}", from_place="外省", from_risk="high", arrived_on=arrived)


def _pass(city, until):
    return EntrancePass.objects.create(community=city.a_community, region_path=city.a_community.path, compound="小区",
                                       holder_name="王师傅", holder_phone="13900001111", role="delivery",
                                       code=f"P{until:%y%m%d}", valid_from=until - dt.timedelta(days=7), valid_until=until)


def test_returnees_and_passes_past_retention_are_pseudonymised_and_recent_ones_kept(city):
    today = clock.today()
    old = _returnee(city, 1, today - dt.timedelta(days=200))
    recent = _returnee(city, 2, today - dt.timedelta(days=20))
    old_pass, new_pass = _pass(city, today - dt.timedelta(days=181)), _pass(city, today)
    original = old.id_number
    out = services.retention_run(actor=access.system("tests"), days=180)
    assert (out["returnees"], out["passes"]) == (1, 1)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.phone) == ("已脱敏", "") and old.id_number != original and len(old.id_number) == 18
    assert old.from_risk == "high" and old.arrived_on == today - dt.timedelta(days=200)  # statistics stay
    assert recent.name == "返乡2" and recent.id_number != old.id_number
    assert EntrancePass.objects.get(pk=old_pass.pk).holder_phone == "" and EntrancePass.objects.get(pk=new_pass.pk).holder_name == "王师傅"
    entry = AuditEntry.objects.get(action="community.retention")
    assert entry.actor_label == "system:tests" and entry.changes["returnees"] == 1
    assert services.retention_run(actor=access.system("tests"), days=180)["returnees"] == 0  # done once
    assert audit.verify().ok


def test_a_dry_run_counts_and_changes_nothing(city):
    r = _returnee(city, 3, clock.today() - dt.timedelta(days=400))
    assert services.retention_run(actor=access.system("tests"), days=180, dry_run=True)["returnees"] == 1
    r.refresh_from_db()
    assert r.name == "返乡3" and not AuditEntry.objects.filter(action="community.retention").exists()


def test_a_district_b_officer_only_pseudonymises_district_b(city, cast):
    r = _returnee(city, 4, clock.today() - dt.timedelta(days=400))
    assert services.retention_run(actor=cast.officer_b, days=180)["returnees"] == 0
    r.refresh_from_db()
    assert r.name == "返乡4"


def test_the_command_line_says_what_it_would_do(city, capsys):
    _returnee(city, 5, clock.today() - dt.timedelta(days=400))
    call_command("retention", "--dry-run", "--days", "180")
    assert "would pseudonymise 1 returnees" in capsys.readouterr().out  # the command lives in command/ now
