"""Survive a dropped network: on the compound gate page a door worker logs passages with the network cut; they wait on
the phone ("waiting to send"), go to the server when the network returns, each exactly once - also when the server
stored a batch but its answer was lost, and when the same batch is sent again."""

import json

import pytest

from tests.browser.pages import LoginPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})  # as the field users' phones ask
    user.set_password("correct-horse-battery")
    user.save()
    LoginPage(page, live_server.url).open().login(user.username, "correct-horse-battery")


def _gate_passes(city, cast, n):
    from cordon.community import services
    from cordon.zones.tests.conftest import estate

    homes = estate(city.a_grid, compound="幸福小区", buildings=1, units=1, per_unit=2)
    building = homes.buildings[0]
    passes = [services.pass_issue(actor=cast.officer_a, community_id=building.community_id, compound="幸福小区",
                                  holder_name=f"王{i}", holder_phone="13900000000", role="delivery") for i in range(n)]
    return homes, passes


def _log(page, code):
    page.fill("#code", code)
    page.click("#gate-form button[type=submit]")
    page.wait_for_function("(code) => document.getElementById('code').value === ''", arg=code)


def _online_losing_the_answers(page, url: str) -> int:
    """Back online, the server receives each upload to `url` but its answer is lost on the way back; waits until the
    phone's first upload has gone out and returns how many answers were dropped."""
    lost = {"n": 0}

    def lose_the_answer(route):
        route.fetch()
        lost["n"] += 1
        route.abort("connectionreset")
    page.route(url, lose_the_answer)
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    for _ in range(200):  # until the upload has gone out and its answer was dropped
        if lost["n"]:
            break
        page.wait_for_timeout(50)
    return lost["n"]


def test_passages_logged_offline_at_the_gate_reach_the_server_once(live_server, browser_page, city, cast, credential_keys):
    from cordon.community.models import EntranceLog

    homes, passes = _gate_passes(city, cast, 3)
    resident = homes.people[0]
    code = credential_keys.credential_issue(token=resident.token)["code"]
    page = browser_page
    _login(page, live_server, cast.officer_a)
    page.goto(f"{live_server.url}/community/gate/")
    page.wait_for_function("() => window.CordonVerify && window.CordonScan")

    page.context.set_offline(True)
    for p in passes:
        _log(page, p.code)
    _log(page, code)  # a resident's health code, checked on the phone
    assert "绿码" in page.inner_text("#verdict")
    assert page.inner_text("#pending") == "4"
    assert page.locator("#entries li.waiting").count() == 4
    assert "待发送" in page.inner_text("#entries")
    assert EntranceLog.objects.count() == 0

    # The server stores the first batch but its answer is lost on the way back: the phone keeps the batch and its key.
    assert _online_losing_the_answers(page, "**/api/v1/community/passages/bulk") >= 1
    assert EntranceLog.objects.count() == 4
    assert page.inner_text("#pending") == "4"
    stored = json.loads(page.evaluate("() => localStorage.getItem('cordon.gate.' + document.getElementById('gate').dataset.user)"))
    batch = stored["inflight"]
    assert len(batch["items"]) == 4

    page.unroute("**/api/v1/community/passages/bulk")
    page.click("#send")
    page.wait_for_function("() => document.getElementById('pending').textContent === '0'", timeout=15_000)
    assert page.locator("#entries li.sent").count() == 4
    assert EntranceLog.objects.count() == 4
    assert sorted(EntranceLog.objects.exclude(entrance_pass=None).values_list("entrance_pass__code", flat=True)) == sorted(p.code for p in passes)
    assert EntranceLog.objects.filter(person=resident).count() == 1

    # The same batch sent again (a second phone tab, a user pressing resend): replayed, nothing stored twice.
    again = page.evaluate("""async (batch) => {
        const csrf = document.getElementById('gate').dataset.csrf;
        const res = await fetch('/api/v1/community/passages/bulk', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf, 'Idempotency-Key': batch.key},
            body: JSON.stringify({items: batch.items})});
        return {status: res.status, body: await res.json()};
    }""", batch)
    assert again["status"] == 201 and again["body"]["replayed"] is True
    assert EntranceLog.objects.count() == 4
    assert [e for e in page.console_errors if "ERR_CONNECTION_RESET" not in e] == []  # only the answer we dropped


def test_samples_registered_offline_at_a_testing_site_reach_the_server_once(live_server, browser_page, city, cast, credential_keys, tmp_path):
    from cordon.core import qr
    from cordon.people.factories import PersonFactory
    from cordon.screening.factories import make_round, make_site
    from cordon.screening.models import Sample

    rnd = make_round(region=city.a)
    site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid, city.a_grid2])
    people = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    health_code = tmp_path / "code.png"
    health_code.write_bytes(qr.png(credential_keys.credential_issue(token=people[2].token)["code"]))
    page = browser_page
    _login(page, live_server, cast.officer_a)
    page.goto(f"{live_server.url}/screening/sites/{site.pk}/sampler/")
    page.wait_for_function("() => window.CordonScan && window.jsQR")

    page.context.set_offline(True)
    page.fill("#tube", "T0000100001")
    for p in people[:2]:  # typed ID numbers (the manual fallback)
        page.fill("#person", p.id_number)
        page.click("#scan button[type=submit]")
        page.wait_for_function("() => document.getElementById('person').value === ''")
    page.set_input_files("#person-photo", str(health_code))  # the third shows their health code
    page.wait_for_function("() => document.getElementById('queued').textContent === '3'")
    assert page.inner_text("#recent").count("待发送") == 3
    assert Sample.objects.count() == 0

    assert _online_losing_the_answers(page, "**/api/v1/screening/rounds/*/samples") >= 1
    assert Sample.objects.count() == 3
    assert page.inner_text("#queued") == "3"  # the phone did not hear back: the batch waits with its key

    page.unroute("**/api/v1/screening/rounds/*/samples")
    page.click("#upload")
    page.wait_for_function("() => document.getElementById('queued').textContent === '0'", timeout=15_000)
    assert sorted(Sample.objects.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    assert Sample.objects.values("tube").distinct().count() == 1
    assert [e for e in page.console_errors if "ERR_CONNECTION_RESET" not in e] == []


def test_the_gate_page_opens_again_with_no_network_and_keeps_what_is_logged(live_server, browser_page, city, cast, credential_keys):
    from cordon.community.models import EntranceLog

    _homes, passes = _gate_passes(city, cast, 1)
    page = browser_page
    _login(page, live_server, cast.officer_a)
    page.goto(f"{live_server.url}/community/gate/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the service worker, which keeps a copy of the page
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => window.CordonVerify && window.CordonScan")
    assert "门岗查验" in page.inner_text("h1")
    _log(page, passes[0].code)
    assert page.inner_text("#pending") == "1"
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.getElementById('pending').textContent === '0'", timeout=15_000)
    assert EntranceLog.objects.filter(entrance_pass=passes[0]).count() == 1
