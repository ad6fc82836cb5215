"""Issue 19, compound gate: a resident under home quarantine or home health monitoring (which forbid leaving) is
refused the exit at the compound gate (the service, the gate phone's API and the entrance page), unless an authorised
officer overrides it with a reason, which is recorded; the exit opens again when the measure ends."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from cordon.accounts.models import Post
from cordon.community import selectors, services
from cordon.community.models import EntranceLog
from cordon.core import clock
from cordon.core.errors import Conflict
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.quarantine import services as quarantine_services
from cordon.status import services as status_services
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(city, cast):
    homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=2)
    homes.building = homes.buildings[0]
    homes.gate = get_user_model().objects.create_user(username="gate_worker", password="pw-for-tests-1")
    Post.objects.create(user=homes.gate, role="community_worker", region=city.a_community)
    return homes


def _at_home(cast, person, kind):
    today = clock.today()
    return quarantine_services.home_stay_start(actor=cast.officer_a, person_id=person.pk, kind=kind, start=today,
                                               end=today + dt.timedelta(days=7),
                                               community_worker_id=cast.officer_a.pk, category="manual")


def _exit(homes, person, **kw):
    b = homes.building
    return dict(community_id=b.community_id, compound=b.compound, direction="out", person_id=person.pk, **kw)


@pytest.mark.parametrize("kind", ["home_isolation", "home_monitoring"])
def test_issue19_compound_gate_refuses_the_exit_of_a_person_under_home_quarantine_unless_an_officer_overrides_with_a_reason(
        home, cast, kind):
    person, neighbour = home.people[0], home.people[1]
    stay = _at_home(cast, person, kind)
    services.passage_record(actor=home.gate, **_exit(home, neighbour))  # a green neighbour goes out
    with translation.override("en"), pytest.raises(Conflict, match="exit refused") as exc:
        services.passage_record(actor=home.gate, **_exit(home, person))
    assert exc.value.code == "exit_refused" and kind in str(exc.value.message)
    assert not EntranceLog.objects.filter(person=person).exists()
    log = services.passage_record(actor=cast.officer_a, **_exit(home, person, override_reason="透析 / dialysis"))
    assert (log.colour, log.override_reason) == ("yellow", "透析 / dialysis")
    assert AuditEntry.objects.filter(action="entrance.override", changes__reason="透析 / dialysis").count() == 1
    assert list(selectors.override_list(actor=cast.officer_a)) == [log]
    # the measure ends: the gate lets the resident out again, without an override
    status_services.reason_clear(person_id=person.pk, source=f"quarantine.stay:{stay.pk}", actor=SYSTEM)
    assert services.passage_record(actor=home.gate, **_exit(home, person)).override_reason == ""


def test_issue19_compound_gate_api_refuses_a_home_quarantined_resident_and_records_an_officers_override(home, cast, api_client):
    person = home.people[0]
    _at_home(cast, person, "home_monitoring")
    b = home.building
    row = {"community_id": b.community_id, "compound": b.compound, "direction": "out", "person_token": person.token,
           "at": clock.now().isoformat()}
    phone = api_client(home.gate)  # the gate phone's queue (community/gate/)
    r = phone.post("/api/v1/community/passages/bulk", {"items": [row]}, content_type="application/json",
                   headers={"Idempotency-Key": "gate-1"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "exit_refused"
    single = {"community_id": b.community_id, "compound": b.compound, "direction": "out", "person_id": person.pk}
    r = phone.post("/api/v1/community/passages", single, content_type="application/json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "exit_refused"
    r = phone.post("/api/v1/community/passages", {**single, "override_reason": "分娩"}, content_type="application/json")
    assert r.status_code == 403  # the gate's community worker may not override
    assert not EntranceLog.objects.exists()
    officer = api_client(cast.officer_a)
    r = officer.post("/api/v1/community/passages", {**single, "override_reason": "分娩 / childbirth"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["override_reason"] == "分娩 / childbirth" and r.json()["colour"] == "yellow"
    listed = officer.get("/api/v1/community/overrides").json()
    assert [(o["person_id"], o["override_reason"]) for o in listed["items"]] == [(person.pk, "分娩 / childbirth")]


def test_issue19_compound_entrance_page_refuses_a_home_quarantined_resident_and_takes_an_officers_override_reason(
        home, cast, api_client):
    person = home.people[0]
    _at_home(cast, person, "home_isolation")
    b = home.building
    form = {"what": "passage", "compound_key": f"{b.community_id}:{b.compound}", "direction": "out", "person_id": person.pk}
    page = api_client(cast.officer_a)
    with translation.override("en"):
        r = page.post("/community/entrance/", form, follow=True, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and not EntranceLog.objects.exists()
    r = page.post("/community/entrance/", {**form, "override_reason": "急诊 / medical emergency"}, follow=True)
    log = EntranceLog.objects.get()
    assert (log.person_id, log.colour, log.override_reason) == (person.pk, "yellow", "急诊 / medical emergency")
    assert "急诊 / medical emergency" in r.content.decode()  # the log on the page shows the override
