"""`make demo` at any hour: the whole demo (city, accounts, every app's seeder, a few simulated days) on a
small city, then the audit chain verifies. CI runs the suite at several city times (the Makefile's
`test-clock` target), so this test is the demo at 00:30 on 1 January and at 04:30 as well as now."""

import io

import pytest
from django.core.management import call_command

from cordon.core import audit, clock
from tests.demo.responsibility import without_responsible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 3])
def test_the_whole_demo_builds_a_small_city_whose_audit_chain_verifies(seed, monkeypatch):
    from cordon.community.models import EntranceLog
    from cordon.quarantine.models import Stay

    monkeypatch.setenv("CORDON_DEMO_SIM_DAYS", "3")
    out = io.StringIO()
    call_command("demo", people=1200, seed=seed, quiet=True, stdout=out)
    assert "Demo ready" in out.getvalue()
    result = audit.verify()
    assert result.ok, result.problem
    # every open task, zone, site, checkpoint, round, grid, closure, gathering and loan has a named responsible person
    counts = without_responsible()
    assert counts["zone"][0] and counts["open_task"][0], counts
    assert not {k: v for k, v in counts.items() if v[1]}, counts
    # nothing the demo made lies in the future, and today's gate log is on the city's today
    now = clock.now()
    future = list(Stay.objects.filter(checked_in_at__gt=now).values("id", "person_id", "start", "checked_in_at", "status", "kind", "request__source", "created_at"))
    assert not future, future
    days = {clock.day_of(at) for at in EntranceLog.objects.values_list("at", flat=True)}
    assert days == {clock.today()} or (days and max(days) <= clock.today())
    # one active stay per person
    active = list(Stay.objects.filter(status__in=["expected", "in"]).values_list("person_id", flat=True))
    twice = [p for p in set(active) if active.count(p) > 1]
    assert not twice, str(list(Stay.objects.filter(person_id__in=twice, status__in=["expected", "in"]).values(
        "person_id", "kind", "status", "start", "planned_end", "previous_id", "request__source", "created_at")))
