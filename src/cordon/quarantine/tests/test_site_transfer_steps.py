"""A site moves only along SITE_LIFECYCLE (a forbidden step is a conflict, 409 transition, naming the statuses by their
labels; the API lists next_statuses; the page offers only the allowed steps), and a transfer not yet on the road with
its passenger can be cancelled by hand with a reason (service, API, stay page, transfers page), audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import assert_step_refused, messages_of
from cordon.people.factories import PersonFactory
from cordon.quarantine import services
from cordon.quarantine.enums import SITE_LIFECYCLE, SiteStatus, TransferStatus
from cordon.quarantine.factories import SiteFactory, rooms_for
from cordon.quarantine.models import Stay, Transfer

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- sites

def test_a_forbidden_site_step_is_a_conflict_naming_the_statuses_by_their_labels(city, cast):
    site = SiteFactory(region=city.a, status="full")
    assert_step_refused(lambda status: services.site_set_status(actor=cast.officer_a, site=site, status=status),
                        record=site, to="reserve",
                        labels=[SiteStatus.FULL.label, SiteStatus.DISINFECTION.label], codes=["disinfection"])
    assert site.status == "full"


def test_the_site_api_lists_next_statuses_and_answers_409_for_a_forbidden_step(city, cast, api_client):
    site = SiteFactory(region=city.a, status="full")
    c = api_client(cast.officer_a)
    assert c.get(f"/api/v1/quarantine/sites/{site.pk}").json()["next_statuses"] == list(SITE_LIFECYCLE.allowed("full"))
    listed = {row["id"]: row for row in c.get("/api/v1/quarantine/sites").json()["items"]}
    assert listed[site.pk]["next_statuses"] == ["open", "disinfection"]
    r = c.post(f"/api/v1/quarantine/sites/{site.pk}/status", {"status": "reserve"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    r = c.post(f"/api/v1/quarantine/sites/{site.pk}/status", {"status": "disinfection"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["next_statuses"] == ["readying", "open", "reserve"]


def test_the_site_page_offers_only_the_allowed_steps_and_shows_a_refusal(city, cast, client):
    site = SiteFactory(region=city.a, status="full")
    client.force_login(cast.officer_a)
    page = client.get(f"/quarantine/sites/{site.pk}/").content.decode()
    form = page.split('name="action" value="status"')[1].split("</form>")[0]
    assert {part.split('"')[0] for part in form.split('value="')[1:]} == {"open", "disinfection"}
    answer = client.post(f"/quarantine/sites/{site.pk}/", {"action": "status", "status": "reserve"})
    site.refresh_from_db()
    assert site.status == "full"
    with translation.override(answer.wsgi_request.LANGUAGE_CODE):
        assert str(SiteStatus.FULL.label) in messages_of(answer)


# --------------------------------------------------------------------------- transfers cancelled by hand

def _stay(city, cast) -> Stay:
    site = SiteFactory(region=city.a)
    rooms_for(site, per_floor=2)
    today = clock.today()
    person = PersonFactory(grid=city.a_grid, birth_date=today.replace(year=today.year - 30, day=min(today.day, 28)))
    services.placement_enqueue(actor=cast.officer_a, person_id=person.pk, category="close_contact", start=today,
                               end=today + dt.timedelta(days=7), source=f"test:{person.pk}")
    proposal = services.proposal_build(actor=cast.officer_a, district_path=city.a.path)
    services.proposal_confirm(actor=cast.officer_a, line_ids=list(proposal.lines.values_list("id", flat=True)))
    return Stay.objects.get(person=person)


def test_a_planned_or_dispatched_transfer_is_cancelled_with_a_reason_and_audited(city, cast):
    stay = _stay(city, cast)
    t = Transfer.objects.get(stay=stay)
    with pytest.raises(ServiceError) as e:
        services.transfer_cancel(actor=cast.officer_a, transfer=t, reason="  ")
    assert e.value.status == 400 and e.value.fields[0]["field"] == "reason"
    services.transfer_update(actor=cast.officer_a, transfer=t, vehicle="沪A12345")
    services.transfer_advance(actor=cast.officer_a, transfer=t)  # dispatched
    services.transfer_cancel(actor=cast.officer_a, transfer=t, reason="went by ambulance")
    assert Transfer.objects.get(pk=t.pk).status == "cancelled"
    entry = AuditEntry.objects.get(action="transfer.cancel", object_id=str(t.pk))
    assert entry.changes["reason"] == "went by ambulance" and entry.changes["from"] == "dispatched"
    with pytest.raises(Conflict) as e:
        services.transfer_cancel(actor=cast.officer_a, transfer=t, reason="again")
    assert e.value.code == "transition"
    with pytest.raises(PermissionDenied):  # another district's officer, whatever the transfer's status
        services.transfer_cancel(actor=cast.officer_b, transfer=Transfer.objects.get(pk=t.pk), reason="not mine")


def test_a_picked_up_transfer_or_a_stale_copy_is_not_cancelled(city, cast):
    stay = _stay(city, cast)
    t = Transfer.objects.get(stay=stay)
    stale = Transfer.objects.get(pk=t.pk)
    Transfer.objects.filter(pk=t.pk).update(status=TransferStatus.PICKED_UP)
    with pytest.raises(Conflict) as e:
        services.transfer_cancel(actor=cast.officer_a, transfer=stale, reason="mistake")
    assert e.value.code == "transition"
    assert Transfer.objects.get(pk=t.pk).status == "picked_up"
    assert not AuditEntry.objects.filter(action="transfer.cancel").exists()


def test_the_api_cancels_with_a_reason_and_refuses_a_finished_transfer(city, cast, api_client):
    stay = _stay(city, cast)
    t = Transfer.objects.get(stay=stay)
    c = api_client(cast.officer_a)
    r = c.post(f"/api/v1/quarantine/transfers/{t.pk}/cancel", {"reason": ""}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "reason"
    r = c.post(f"/api/v1/quarantine/transfers/{t.pk}/cancel", {"reason": "x" * 201}, content_type="application/json")
    assert r.status_code in (400, 422) and Transfer.objects.get(pk=t.pk).status == "planned"
    r = c.post(f"/api/v1/quarantine/transfers/{t.pk}/cancel", {"reason": "duplicate order"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["next_statuses"] == []
    r = c.post(f"/api/v1/quarantine/transfers/{t.pk}/cancel", {"reason": "again"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    other = api_client(cast.officer_b)
    assert other.post(f"/api/v1/quarantine/transfers/{t.pk}/cancel", {"reason": "x"},
                      content_type="application/json").status_code == 404


def _cancel_forms(page: str) -> int:
    return page.count('name="reason"')


def test_the_stay_and_transfers_pages_offer_cancel_only_while_allowed(city, cast, client):
    stay = _stay(city, cast)
    t = Transfer.objects.get(stay=stay)
    client.force_login(cast.officer_a)
    assert _cancel_forms(client.get(f"/quarantine/stays/{stay.pk}/").content.decode()) == 1
    assert _cancel_forms(client.get("/quarantine/transfers/").content.decode()) == 1
    answer = client.post(f"/quarantine/stays/{stay.pk}/", {"action": "cancel_transfer", "transfer_id": t.pk, "reason": ""})
    assert Transfer.objects.get(pk=t.pk).status == "planned" and answer.status_code == 200
    client.post(f"/quarantine/stays/{stay.pk}/", {"action": "cancel_transfer", "transfer_id": t.pk, "reason": "by ambulance"})
    assert Transfer.objects.get(pk=t.pk).status == "cancelled"
    assert _cancel_forms(client.get(f"/quarantine/stays/{stay.pk}/").content.decode()) == 0
    # the transfers list: a picked-up transfer offers no cancel, a planned one does, and the form cancels it
    other = _stay(city, cast)
    t2 = Transfer.objects.get(stay=other)
    Transfer.objects.filter(pk=t2.pk).update(status=TransferStatus.PICKED_UP)
    assert _cancel_forms(client.get("/quarantine/transfers/").content.decode()) == 0
    Transfer.objects.filter(pk=t2.pk).update(status=TransferStatus.PLANNED)
    client.post("/quarantine/transfers/", {"action": "cancel", "transfer_id": t2.pk, "reason": "duplicate"})
    assert Transfer.objects.get(pk=t2.pk).status == "cancelled"
    # another stay's transfer is not cancelled from this stay's page
    third = _stay(city, cast)
    t3 = Transfer.objects.get(stay=third)
    client.post(f"/quarantine/stays/{stay.pk}/", {"action": "cancel_transfer", "transfer_id": t3.pk, "reason": "x"})
    assert Transfer.objects.get(pk=t3.pk).status == "planned"
