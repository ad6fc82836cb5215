import datetime as dt

import pytest

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.people.factories import HouseholdFactory, PersonFactory
from cordon.quarantine import selectors, services
from cordon.quarantine.factories import RequestFactory, SiteFactory, household_at_site, rooms_for
from cordon.quarantine.models import PlacementRequest, Room, ScheduledTest, Stay, Transfer
from cordon.status.models import StatusReason


def _queue(city, n=1, household=None, **person_kw):
    people = [PersonFactory(grid=city.a_grid, household=household, **person_kw) if household else
              PersonFactory(grid=city.a_grid, **person_kw) for _ in range(n)]
    return [RequestFactory(person=p) for p in people]


def _confirm_all(actor, proposal):
    ids = list(proposal.lines.values_list("id", flat=True))
    return services.proposal_confirm(actor=actor, line_ids=ids)


@pytest.mark.django_db
def test_site_opens_only_with_a_complete_readiness_checklist(city, cast):
    site = services.site_create(actor=cast.officer_a, name="东湖宾馆", address="东湖路1号", region_id=city.a.pk)
    services.rooms_generate(actor=cast.officer_a, site=site, floors=2, per_floor=5)
    assert site.rooms.count() == 10
    with pytest.raises(ServiceError) as e:
        services.site_set_status(actor=cast.officer_a, site=site, status="open")
    assert e.value.code == "not_ready"
    services.site_readiness(actor=cast.officer_a, site=site, items={k: True for k in site.readiness})
    assert services.site_set_status(actor=cast.officer_a, site=site, status="open").status == "open"


@pytest.mark.django_db
def test_room_rows_with_errors_are_all_refused(city, cast):
    site = SiteFactory(region=city.a)
    with pytest.raises(ServiceError) as e:
        services.rooms_add(actor=cast.officer_a, site=site, rows=[
            {"number": "301"}, {"number": "301"}, {"number": "302", "kind": "palace"}, {"number": ""}])
    assert [f["row"] for f in e.value.fields] == [2, 3, 4]
    assert site.rooms.count() == 0


@pytest.mark.django_db
def test_proposal_puts_one_person_per_room_and_a_child_with_one_carer(city, cast):
    _site, (parent1, parent2, child) = household_at_site(city, 40, 38, 6, rooms=6)
    for p in (parent1, parent2, child):
        RequestFactory(person=p)
    loner = _queue(city)[0]
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    lines = {ln.request.person_id: ln for ln in proposal.lines.select_related("request", "room")}
    assert len(lines) == 4
    assert lines[child.pk].room_id in {lines[parent1.pk].room_id, lines[parent2.pk].room_id}
    assert lines[parent1.pk].room_id != lines[parent2.pk].room_id
    family_positions = sorted({lines[p.pk].room.position for p in (parent1, parent2, child)})
    assert family_positions[1] - family_positions[0] == 1  # neighbouring rooms
    assert lines[loner.person_id].room_id not in {lines[p.pk].room_id for p in (parent1, parent2)}
    assert PlacementRequest.objects.filter(status="proposed").count() == 4
    assert proposal.cost >= proposal.optimum


@pytest.mark.django_db
def test_own_district_rooms_come_before_lent_rooms(city, cast):
    own = SiteFactory(region=city.a)
    rooms_for(own, per_floor=1)
    lent = SiteFactory(region=city.b, lends_rooms=True)
    rooms_for(lent, per_floor=3)
    not_lent = SiteFactory(region=city.b, lends_rooms=False)
    rooms_for(not_lent, per_floor=3)
    _queue(city, 3)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    sites = [ln.site_id for ln in proposal.lines.all()]
    assert sites.count(own.pk) == 1 and sites.count(lent.pk) == 2 and not_lent.pk not in sites
    assert proposal.lines.filter(lent=True).count() == 2


@pytest.mark.django_db
def test_confirming_creates_stays_and_transfers_and_arrival_checks_in(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=3)
    req = _queue(city)[0]
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    out = _confirm_all(cast.officer_a, proposal)
    stay = Stay.objects.get(pk=out["stays"][0])
    assert stay.status == "expected" and stay.room.status == "occupied"
    assert PlacementRequest.objects.get(pk=req.pk).status == "placed"
    assert ScheduledTest.objects.filter(stay=stay).count() >= 2
    transfer = Transfer.objects.get(stay=stay, direction="in")
    with pytest.raises(ServiceError):  # no vehicle yet
        services.transfer_advance(actor=cast.officer_a, transfer=transfer)
    services.transfer_update(actor=cast.officer_a, transfer=transfer, vehicle="沪A12345", escort="李医生")
    for _ in range(3):
        services.transfer_advance(actor=cast.officer_a, transfer=transfer)
    stay.refresh_from_db()
    assert stay.status == "in" and stay.checked_in_at
    assert StatusReason.objects.filter(person_id=stay.person_id, reason="centralized_quarantine", active=True).exists()


@pytest.mark.django_db
def test_confirm_refuses_a_room_under_disinfection_and_writes_nothing(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=2)
    _queue(city, 2)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    line = proposal.lines.first()
    Room.objects.filter(pk=line.room_id).update(status="disinfection")
    with pytest.raises(ServiceError) as e:
        _confirm_all(cast.officer_a, proposal)
    room = Room.objects.get(pk=line.room_id)
    assert e.value.fields[0]["message"] == f"房间 {room.number} 不空闲（消杀中）"
    assert Stay.objects.count() == 0


@pytest.mark.django_db
def test_a_person_already_placed_is_refused(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=3)
    req = _queue(city)[0]
    _confirm_all(cast.officer_a, services.proposal_build(actor=cast.officer_a, district_path=city.a.path))
    RequestFactory(person=req.person)
    with pytest.raises(ServiceError) as e:
        services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    assert e.value.code == "empty_queue"
    with pytest.raises(Conflict):
        services.home_stay_start(actor=cast.officer_a, person_id=req.person_id, kind="home_monitoring",
                                 start=clock.today(), end=clock.today(), community_worker_id=cast.officer_a.pk)


@pytest.mark.django_db
def test_site_manager_of_another_district_cannot_confirm(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=1)
    _queue(city)
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    with pytest.raises(ServiceError) as theirs:
        _confirm_all(cast.officer_b, proposal)
    with pytest.raises(ServiceError) as missing:
        services.proposal_confirm(actor=cast.officer_b, line_ids=[987654321])
    # another district's lines are refused exactly like lines that do not exist, and nothing is written
    assert theirs.value.fields[0]["message"] == f"方案行 {proposal.lines.first().pk} 不存在或已撤回"
    assert missing.value.fields[0]["message"] == "方案行 987654321 不存在或已撤回"
    assert not Stay.objects.exists()


def _checked_in(city, cast, start=None, end=None):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=5)
    req = _queue(city)[0]
    if start:
        PlacementRequest.objects.filter(pk=req.pk).update(start=start, end=end)
    _confirm_all(cast.officer_a, services.proposal_build(actor=cast.officer_a, district_path=city.a.path))
    stay = Stay.objects.get(person=req.person)
    if start:
        Stay.objects.filter(pk=stay.pk).update(start=start, planned_end=end)
        stay.refresh_from_db()
    return services.stay_check_in(actor=cast.officer_a, stay=stay)


@pytest.mark.django_db
def test_fever_reading_raises_an_alert_and_the_self_report_link_works(city, cast):
    stay = _checked_in(city, cast)
    services.reading_record(actor=cast.officer_a, stay=stay, temperature="36.6")
    assert not Task.objects.filter(kind="quarantine.fever").exists()
    r = services.reading_record_self(token=stay.monitor_token, temperature="38.2", symptoms=["cough"])
    assert r.fever and r.by_self
    assert Task.objects.filter(kind="quarantine.fever", priority=1).count() == 1
    with pytest.raises(ServiceError) as e:
        services.reading_record_self(token=stay.monitor_token, temperature="52")
    assert e.value.fields[0]["field"] == "temperature"
    with pytest.raises(ServiceError):
        services.reading_record_self(token="nope", temperature="36.5")


@pytest.mark.django_db
def test_missed_monitoring_is_found_and_its_task_closes_with_the_next_reading(city, cast):
    stay = _checked_in(city, cast)
    Stay.objects.filter(pk=stay.pk).update(checked_in_at=clock.now() - dt.timedelta(hours=20))
    assert selectors.overdue_monitoring(actor=cast.officer_a).count() == 1
    assert services.monitoring_sweep() == 1
    task = Task.objects.get(kind="quarantine.missed_monitoring")
    stay.refresh_from_db()
    services.reading_record(actor=cast.officer_a, stay=stay, temperature="36.5")
    task.refresh_from_db()
    assert task.status != "open"
    assert selectors.overdue_monitoring(actor=cast.officer_a).count() == 0


@pytest.mark.django_db
def test_early_release_is_refused_and_release_after_negative_test_hands_over_home(city, cast):
    today = clock.today()
    stay = _checked_in(city, cast, start=today - dt.timedelta(days=4), end=today)
    with pytest.raises(ServiceError) as e:
        services.stay_release(actor=cast.officer_a, stay=stay, today=today - dt.timedelta(days=1))
    assert e.value.code == "early_release"
    assert selectors.tests_due(actor=cast.officer_a).count() >= 1
    services.test_results_import(actor=cast.officer_a, rows=[
        {"test_id": t.pk, "result": "阴性"} for t in stay.tests.all()])
    services.stay_release(actor=cast.officer_a, stay=stay, today=today)
    stay.refresh_from_db()
    assert stay.status == "released" and stay.room.status == "disinfection"
    home = Stay.objects.get(previous=stay)
    assert home.kind in ("home_isolation", "home_monitoring") and home.status == "in"
    assert StatusReason.objects.filter(person_id=stay.person_id, reason=home.kind, active=True).exists()
    assert not StatusReason.objects.filter(person_id=stay.person_id, reason="centralized_quarantine", active=True).exists()
    assert Transfer.objects.filter(stay=stay, direction="home").exists()


@pytest.mark.django_db
def test_bad_result_rows_are_all_refused(city, cast):
    stay = _checked_in(city, cast)
    t = stay.tests.first()
    with pytest.raises(ServiceError) as e:
        services.test_results_import(actor=cast.officer_a, rows=[
            {"test_id": t.pk, "result": "阴性"}, {"test_id": 999999, "result": "阴性"}, {"test_id": t.pk, "result": "?"}])
    assert [(f["row"], f["field"]) for f in e.value.fields] == [(2, "test_id"), (3, "result")]
    t.refresh_from_db()
    assert t.result == "pending"


@pytest.mark.django_db
def test_a_positive_in_a_site_files_a_review_of_neighbouring_rooms(city, cast):
    stay = _checked_in(city, cast)
    near = PersonFactory(grid=city.a_grid)
    room = Room.objects.filter(site=stay.site, status="free").order_by("position").first()
    Stay.objects.create(person=near, site=stay.site, room=room, region_path=stay.region_path, start=stay.start,
                        planned_end=stay.planned_end, status="in", monitor_token="neighbourtoken")
    services.test_result_record(actor=cast.officer_a, test=stay.tests.first(), result="positive")
    task = Task.objects.get(kind="quarantine.positive_review")
    assert room.number in task.detail
    from cordon.cases.models import Case

    assert Case.objects.filter(person_id=stay.person_id, found_by="quarantine").exists()
    with pytest.raises(Conflict):
        services.stay_release(actor=cast.officer_a, stay=stay, today=stay.planned_end)


@pytest.mark.django_db
def test_home_isolation_needs_a_separate_room_with_bathroom(city, cast):
    hh = HouseholdFactory(grid=city.a_grid, has_separate_room_with_bathroom=False)
    p = PersonFactory(grid=city.a_grid, household=hh)
    today = clock.today()
    with pytest.raises(ServiceError) as e:
        services.home_stay_start(actor=cast.officer_a, person_id=p.pk, kind="home_isolation", start=today,
                                 end=today + dt.timedelta(days=6), community_worker_id=cast.officer_a.pk)
    assert e.value.code == "not_eligible"
    stay = services.home_stay_start(actor=cast.officer_a, person_id=p.pk, kind="home_monitoring", start=today,
                                    end=today + dt.timedelta(days=6), community_worker_id=cast.officer_a.pk)
    assert stay.status == "in" and stay.community_worker == cast.officer_a
    assert StatusReason.objects.filter(person_id=p.pk, reason="home_monitoring", active=True).exists()


@pytest.mark.django_db
def test_reserves_show_the_gap_against_20_rooms_per_10000_residents(city, cast):
    from cordon.regions.models import Region

    Region.objects.filter(pk=city.a.pk).update(population=50000)
    site = SiteFactory(region=city.a, status="reserve")
    rooms_for(site, per_floor=30)
    row = next(r for r in selectors.reserves(actor=cast.officer_a) if r["path"] == city.a.path)
    assert row["target"] == 100 and row["rooms"] == 30 and row["gap"] == 70
    assert all(r["path"] != city.b.path for r in selectors.reserves(actor=cast.officer_a))


@pytest.mark.django_db
def test_capacity_forecast_warns_when_free_rooms_fall_below_expected_arrivals(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=2)
    reqs = _queue(city, 6)
    for i, r in enumerate(reqs):
        PlacementRequest.objects.filter(pk=r.pk).update(created_at=clock.now() - dt.timedelta(days=i % 3))
    row = next(r for r in selectors.capacity_forecast(actor=cast.officer_a) if r["path"] == city.a.path)
    assert row["queued"] == 6 and row["free"] == 2 and row["warning"]
    assert len(row["needed"]) == 7


@pytest.mark.django_db
def test_a_person_named_by_two_sources_gets_one_line_and_one_stay(city, cast):
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=4)
    person = PersonFactory(grid=city.a_grid)
    first = RequestFactory(person=person, source="contacts.riskperson:1")
    RequestFactory(person=person, source="contacts.riskperson:2")
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    lines = list(proposal.lines.all())
    assert [ln.request_id for ln in lines] == [first.pk]
    services.proposal_confirm(actor=cast.officer_a, line_ids=[ln.pk for ln in lines])
    assert Stay.objects.filter(person=person).count() == 1
    assert set(PlacementRequest.objects.filter(person=person).values_list("status", flat=True)) == {"placed"}


@pytest.mark.django_db
def test_a_site_moves_only_along_its_lifecycle_and_the_page_offers_only_allowed_steps(city, cast, client):
    from cordon.quarantine.enums import SITE_LIFECYCLE

    site = SiteFactory(region=city.a)  # open
    with pytest.raises(ServiceError) as e:
        services.site_set_status(actor=cast.officer_a, site=site, status="reserve")
    assert e.value.code == "transition" and e.value.fields[0]["field"] == "status"
    client.force_login(cast.officer_a)
    page = client.get(f"/quarantine/sites/{site.pk}/").content.decode()
    offered = {v for v in SITE_LIFECYCLE.allowed("open")}
    assert 'value="reserve"' not in page.split('name="action" value="status"')[1].split("</form>")[0]
    assert all(f'value="{v}"' in page for v in offered)
