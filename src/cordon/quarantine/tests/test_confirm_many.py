"""A placement run at scale (issue 19): confirming a proposal writes its stays, tests and transfers in bulk with one
audit entry, and a dependant withheld at every run keeps one carer task."""

import pytest

from cordon.command.models import Task
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.factories import RequestFactory, SiteFactory, born, household_at_site, rooms_for
from cordon.quarantine.models import ScheduledTest, Stay, Transfer

pytestmark = pytest.mark.django_db


def _queue(city, n: int) -> None:
    for _n in range(n):
        RequestFactory(person=PersonFactory(grid=city.a_grid, birth_date=born(30)))


def _confirm(cast, city) -> dict:
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    return services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))


def test_confirming_many_lines_writes_each_stay_its_tests_and_transfer_with_one_stay_entry(city, cast):
    rooms_for(SiteFactory(region=city.a), per_floor=8)
    _queue(city, 5)
    got = _confirm(cast, city)
    stays = list(Stay.objects.filter(pk__in=got["stays"]))
    assert len(stays) == 5 and {s.status for s in stays} == {"expected"}
    assert all(ScheduledTest.objects.filter(stay=s).exists() for s in stays)
    assert Transfer.objects.filter(stay__in=stays, direction="in").count() == 5
    entries = list(AuditEntry.objects.filter(action__startswith="stay.create"))
    assert len(entries) == 1 and entries[0].changes["count"] == 5 and entries[0].changes["ids"] == got["stays"]


def test_confirming_eight_lines_takes_no_more_queries_than_two(city, cast, django_assert_max_num_queries):
    rooms_for(SiteFactory(region=city.a), per_floor=12)
    _queue(city, 2)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    with django_assert_max_num_queries(40) as few:
        services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    _queue(city, 8)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))


def test_a_child_withheld_at_every_run_keeps_one_carer_task(city, cast):
    _site, (_adult, child) = household_at_site(city, 40, 6)  # the adult is not queued
    req = RequestFactory(person=child)
    _queue(city, 1)
    services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    _queue(city, 1)
    services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    tasks = Task.objects.filter(kind="quarantine.carer_needed", source=f"quarantine.request:{req.pk}:carer")
    assert tasks.count() == 1 and "1 adult" in tasks.get().detail


def _dependants(city, n: int) -> list:
    """n people who may not be placed alone (a disabled adult, a pregnant woman, in turn) with no carer queued."""
    out = []
    for i in range(n):
        person = PersonFactory(grid=city.a_grid, birth_date=born(30), **({"disability": True} if i % 2 else {"pregnant": True}))
        out.append(RequestFactory(person=person))
    return out


def test_dependants_by_the_rule_sets_flags_are_withheld_with_a_carer_task_each(city, cast):
    rooms_for(SiteFactory(region=city.a), per_floor=8)
    withheld = _dependants(city, 2)
    _queue(city, 1)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    assert proposal.lines.count() == 1
    assert sorted(AuditEntry.objects.get(action="proposal.build").changes["withheld_need_carer"]) == [r.pk for r in withheld]
    assert Task.objects.filter(kind="quarantine.carer_needed").count() == 2


def test_a_run_withholding_six_dependants_takes_no_more_queries_than_one_withholding_two(city, cast,
                                                                                         django_assert_max_num_queries):
    rooms_for(SiteFactory(region=city.a), per_floor=12)
    _dependants(city, 2)
    _queue(city, 1)
    with django_assert_max_num_queries(40) as few:
        services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    _dependants(city, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
