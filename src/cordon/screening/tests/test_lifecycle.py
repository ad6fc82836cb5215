"""Round, tube and retest lifecycles as data: the services refuse a move the lifecycle does not allow (naming the field),
through the API and the round page too, and the round page offers only the allowed next step."""

import pytest

from cordon.core.errors import ServiceError
from cordon.screening import services
from cordon.screening.enums import (
    RETEST_LIFECYCLE,
    ROUND_LIFECYCLE,
    TUBE_LIFECYCLE,
    RetestStatus,
    RoundStatus,
    TubeStatus,
    reaching,
)
from cordon.screening.factories import make_round, sampled_tube
from cordon.screening.models import Round, Tube

pytestmark = pytest.mark.django_db


def _refused(call, field="status"):
    with pytest.raises(ServiceError) as e:
        call()
    assert e.value.status == 409 and e.value.code == "transition" and e.value.fields[0]["field"] == field, e.value.as_dict()


def test_a_round_is_published_once_and_a_closed_round_never_reopens(city, cast):
    rnd = make_round(region=city.a, published=False)
    _refused(lambda: services.round_close(actor=cast.commander, rnd=rnd))
    services.round_publish(actor=cast.commander, rnd=rnd)
    _refused(lambda: services.round_publish(actor=cast.commander, rnd=rnd))
    services.round_close(actor=cast.commander, rnd=rnd)
    _refused(lambda: services.round_publish(actor=cast.commander, rnd=rnd))
    _refused(lambda: services.round_close(actor=cast.commander, rnd=rnd))
    assert Round.objects.get(pk=rnd.pk).status == RoundStatus.CLOSED


def test_the_api_refuses_publishing_a_closed_round_naming_the_status(city, cast, api_client):
    rnd = make_round(region=city.a)
    closed = api_client(cast.commander).post(f"/api/v1/screening/rounds/{rnd.pk}/close", {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["next_statuses"] == []
    r = api_client(cast.commander).post(f"/api/v1/screening/rounds/{rnd.pk}/publish", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "transition"
    assert r.json()["error"]["fields"][0]["field"] == "status"


def _buttons(client, rnd) -> set[str]:
    page = client.get(f"/screening/rounds/{rnd.pk}/").content.decode()
    return {verb for verb in ("publish", "close") if f"/screening/rounds/{rnd.pk}/{verb}/" in page}


def test_the_round_page_offers_only_the_next_step_of_its_lifecycle(city, cast, client):
    client.force_login(cast.commander)
    rnd = make_round(region=city.a, published=False)
    assert _buttons(client, rnd) == {"publish"}
    client.post(f"/screening/rounds/{rnd.pk}/close/")  # posted by hand: refused, the draft stays a draft
    assert Round.objects.get(pk=rnd.pk).status == RoundStatus.DRAFT
    services.round_publish(actor=cast.commander, rnd=rnd)
    assert _buttons(client, rnd) == {"close"}
    services.round_close(actor=cast.commander, rnd=rnd)
    assert _buttons(client, rnd) == set()


def test_a_tube_closed_already_is_not_closed_again_by_hand(setup, city, cast, api_client):
    rnd, site = setup
    code, _people = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid)
    services.tube_close(actor=cast.officer_a, code=code)
    _refused(lambda: services.tube_close(actor=cast.officer_a, code=code), field="tube")
    r = api_client(cast.officer_a).post(f"/api/v1/screening/tubes/{code}/close", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["fields"][0]["field"] == "tube"
    assert services.tubes_receive(actor=cast.commander, codes=[code]) == {"received": 1, "already": 0}
    assert services.tubes_close(actor=cast.officer_a, codes=[code]) == 0
    assert Tube.objects.get(code=code).status == TubeStatus.RECEIVED


def test_bulk_tube_moves_take_only_the_statuses_the_lifecycle_allows():
    assert reaching(TUBE_LIFECYCLE, TubeStatus.CLOSED) == [TubeStatus.OPEN]
    assert reaching(TUBE_LIFECYCLE, TubeStatus.RECEIVED) == [TubeStatus.OPEN, TubeStatus.CLOSED]
    assert reaching(RETEST_LIFECYCLE, RetestStatus.SAMPLED) == [RetestStatus.PENDING]
    assert ROUND_LIFECYCLE.allowed(RoundStatus.CLOSED) == ()
