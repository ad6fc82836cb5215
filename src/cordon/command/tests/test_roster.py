"""The duty roster names a person for everything: responsibility, shift, standing post, deputy, escalation; a task is
never filed without a named owner; an officer taken out hands over everything in one step, with the trail kept."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from cordon.accounts.models import Post
from cordon.command import services
from cordon.command.models import DutyShift, HandOver, OffDuty, Responsibility, Task
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _officer(name, role, region):
    u = get_user_model().objects.create_user(username=name, password="pw-for-tests-1", first_name=name)
    Post.objects.create(user=u, role=role, region=region)
    return u


@pytest.fixture
def street(city, cast):
    return _officer("street1", "street_officer", city.a_street)


def test_an_objects_responsibility_names_its_person_and_deputy(city, cast, street):
    services.responsibility_assign(actor=cast.commander, object_type="region", region_path=city.a_grid.path, label="网格包保",
                                   responsible_id=street.pk, deputy_id=cast.officer_a.pk)
    duty = services.responsible_for(object_type="region", region_path=city.a_grid.path)
    assert (duty.person, duty.deputy, duty.via) == (street, cast.officer_a, "responsibility")


def test_without_a_responsibility_the_post_holder_on_duty_answers_and_the_superior_post_is_the_deputy(city, cast, street):
    duty = services.responsible_for(object_type="zone", object_id=7, region_path=city.a_grid.path)
    assert duty.person == street and duty.via == "post"
    assert duty.deputy == cast.officer_a  # the district's post above the street


def test_an_off_duty_responsible_person_passes_to_the_deputy_and_the_step_is_recorded(city, cast, street):
    services.responsibility_assign(actor=cast.commander, object_type="region", region_path=city.a_grid.path, label="网格包保",
                                   responsible_id=street.pk, deputy_id=cast.officer_a.pk)
    OffDuty.objects.create(user=street, reason="contact", since=clock.now() - dt.timedelta(hours=1), region_path=city.a_street.path)
    duty = services.responsible_for(object_type="region", region_path=city.a_grid.path)
    assert duty.person == cast.officer_a and duty.via == "deputy"
    assert {"step": "off_duty", "user": street.pk, "reason": "contact"}.items() <= duty.steps[0].items()


def test_a_vacant_post_escalates_to_the_superior_post_with_the_path_recorded(city, cast):
    # no street officer and no checkpoint officer: the checkpoint goes up to the district's post
    duty = services.responsible_for(object_type="checkpoint", object_id=3, region_path=city.a_community.path)
    assert duty.person == cast.officer_a and duty.via == "escalated"
    vacant = [(s["step"], s.get("role")) for s in duty.steps if s["step"] == "vacant"]
    assert ("vacant", "checkpoint_officer") in vacant and ("vacant", "street_officer") in vacant


def test_a_rostered_post_is_held_by_whoever_has_the_shift_now_and_uncovered_hours_go_to_the_shift_deputy(city, cast, street):
    night = _officer("night1", "street_officer", city.a_street)
    now = clock.now()
    services.shift_add(actor=cast.commander, region_path=city.a_street.path, role="street_officer", user_id=night.pk,
                       start=now - dt.timedelta(hours=2), end=now + dt.timedelta(hours=6), deputy_id=street.pk)
    assert services.responsible_for(region_path=city.a_street.path).person == night
    OffDuty.objects.create(user=night, reason="sick", since=now - dt.timedelta(minutes=5), region_path=city.a_street.path)
    duty = services.responsible_for(region_path=city.a_street.path)
    assert duty.person == street and duty.via == "shift_deputy"


def test_a_shift_that_ends_before_it_starts_is_refused(city, cast, street):
    now = clock.now()
    with pytest.raises(ServiceError) as err:
        services.shift_add(actor=cast.commander, region_path=city.a_street.path, role="street_officer", user_id=street.pk,
                           start=now, end=now - dt.timedelta(hours=1))
    assert err.value.fields[0]["field"] == "end"


def test_a_task_filed_for_a_post_gets_a_named_owner_and_deputy_and_keeps_how_it_was_found(city, cast, street):
    task = services.task_create(actor=cast.commander, title="核查", kind="tracing.overdue", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=4), owner_role="community_worker")
    assert task.owner == street and task.deputy == cast.officer_a
    assert [s["step"] for s in task.resolution] == ["vacant", "found"]


def test_a_task_filed_while_the_holder_is_off_duty_goes_to_the_next_post_up(city, cast, street):
    OffDuty.objects.create(user=street, reason="sealed_zone", since=clock.now() - dt.timedelta(hours=1), region_path=city.a_street.path)
    task = services.task_create(actor=cast.commander, title="核查", kind="k", region_path=city.a_street.path,
                                deadline=clock.now() + dt.timedelta(hours=4), owner_role="street_officer")
    assert task.owner == cast.officer_a
    assert any(s["step"] == "off_duty" and s["user"] == street.pk for s in task.resolution)


def test_taking_an_officer_out_hands_everything_to_the_deputies_in_one_step_with_the_trail(city, cast, street):
    resp = services.responsibility_assign(actor=cast.commander, object_type="zone", object_id="", region_path=city.a_grid.path,
                                          label="封控区包保", responsible_id=street.pk, deputy_id=cast.field_a.pk)
    task = services.task_create(actor=cast.commander, title="入户", kind="k", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=4), owner=street)
    handover = services.officer_take_out(actor=cast.officer_a, user_id=street.pk, reason="contact")
    resp.refresh_from_db()
    task.refresh_from_db()
    assert not resp.active and resp.ended_at is not None
    assert Responsibility.objects.get(object_type="zone", active=True).responsible == cast.field_a
    assert task.owner != street and task.resolution[-1]["step"] == "handed_over"
    assert {(m["kind"], m["as"]) for m in handover.items} == {("responsibility", "responsible"), ("task", "owner")}
    assert OffDuty.objects.get(user=street).reason == "contact"
    assert AuditEntry.objects.filter(action="duty.handover").count() == 1
    assert services.answers_for(user_id=street.pk)["responsible"] == []


def test_a_chosen_successor_takes_over_everything_including_the_current_shift(city, cast, street):
    now = clock.now()
    shift = services.shift_add(actor=cast.commander, region_path=city.a_street.path, role="street_officer", user_id=street.pk,
                               start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=7))
    successor = _officer("street2", "street_officer", city.a_street)
    services.officer_take_out(actor=cast.officer_a, user_id=street.pk, reason="unavailable", successor_id=successor.pk)
    shift.refresh_from_db()
    assert shift.end <= clock.now() and DutyShift.objects.filter(user=successor, end=now + dt.timedelta(hours=7)).exists()
    assert services.responsible_for(region_path=city.a_street.path).person == successor
    assert HandOver.objects.get().to_user == successor


def test_an_officer_outside_the_actors_area_cannot_be_taken_out(city, cast, street):
    with pytest.raises(ServiceError):
        services.officer_take_out(actor=cast.officer_b, user_id=street.pk, reason="contact")
    assert not OffDuty.objects.exists()


def test_escalation_skips_an_off_duty_superior(city, cast, street):
    task = services.task_create(actor=cast.commander, title="入户", kind="k", region_path=city.a_grid.path,
                                deadline=clock.now() - dt.timedelta(hours=4), owner=cast.field_a)
    OffDuty.objects.create(user=street, reason="leave", since=clock.now() - dt.timedelta(hours=1), region_path=city.a_street.path)
    services.task_escalate(actor=cast.commander, task=task)
    task.refresh_from_db()
    assert task.owner == cast.officer_a and task.resolution[-1]["step"] == "escalated"


def test_the_roster_resolves_at_half_past_midnight_city_time(city, cast, street):
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        now = clock.now()
        services.shift_add(actor=cast.commander, region_path=city.a_street.path, role="street_officer", user_id=street.pk,
                           start=now - dt.timedelta(minutes=30), end=now + dt.timedelta(hours=8))
        assert services.responsible_for(region_path=city.a_grid.path, role="street_officer").person == street
        assert Task.objects.count() == 0


def test_an_officer_traced_as_a_close_contact_is_taken_out_and_their_work_handed_over(city, cast, street):
    from cordon.command.models import OfficerPerson
    from cordon.people.factories import PersonFactory
    from cordon.status import services as status_services

    person = PersonFactory(grid=city.a_grid)
    OfficerPerson.objects.create(user=street, person=person)
    task = services.task_create(actor=cast.commander, title="入户", kind="k", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=4), owner=street)
    status_services.reason_set(person_id=person.pk, reason="close_contact", source="contacts.contact:1", actor=cast.commander)
    task.refresh_from_db()
    assert OffDuty.objects.get(user=street).reason == "contact" and task.owner != street
    assert HandOver.objects.get(from_user=street).items[0]["id"] == task.pk
    # the same measure again changes nothing; a resident who is no officer is left alone
    status_services.reason_set(person_id=person.pk, reason="close_contact", source="contacts.contact:2", actor=cast.commander)
    assert OffDuty.objects.count() == 1 and HandOver.objects.count() == 1


def test_an_officer_in_a_sealed_zone_is_out_for_that_reason(city, cast, street):
    from cordon.command.models import OfficerPerson
    from cordon.people.factories import PersonFactory
    from cordon.status import services as status_services

    person = PersonFactory(grid=city.a_grid)
    OfficerPerson.objects.create(user=street, person=person)
    status_services.reasons_sync(source="zones.zone:9", reason="home_isolation", person_ids=[person.pk], actor=cast.commander)
    assert OffDuty.objects.get(user=street).reason == "sealed_zone"
