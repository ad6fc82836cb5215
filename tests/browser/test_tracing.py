"""Issue 3's 'done when', in the browser: a tracer reports a case, enters a trajectory stay (venue and class),
sees the proposed contacts with their evidence, confirms them, sees their measure plans and colours, exports the
list and opens the cluster graph - with no console errors on the way."""

import datetime as dt

import pytest

from cordon.core import clock
from tests.browser.pages import LoginPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tracer_confirms_a_case_and_its_contacts_end_to_end(live_server, browser_page, city, cast):
    from cordon.accounts.models import Post
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory
    from cordon.status.models import HealthStatus
    from cordon.venues.factories import CheckInFactory, VenueFactory
    from cordon.venues.models import VenueUnit

    tracer = cast.officer_a
    Post.objects.create(user=tracer, role="tracer", region=city.a)
    tracer.set_password("correct-horse-battery")
    tracer.save()
    school = VenueFactory(region=city.a_community, kind="school")
    VenueUnit.objects.create(venue=school, name="初二3班", kind="class")
    other = VenueUnit.objects.create(venue=school, name="初二4班", kind="class")
    patient = PersonFactory(grid=city.a_grid)
    start = clock.local().replace(second=0, microsecond=0) - dt.timedelta(hours=10)
    classmates = [PersonFactory(grid=city.a_grid) for _ in range(3)]
    for p in classmates:
        CheckInFactory(person=p, venue=school, unit=VenueUnit.objects.get(name="初二3班"), time_in=start, time_out=start + dt.timedelta(hours=6))
    next_door = PersonFactory(grid=city.a_grid)
    CheckInFactory(person=next_door, venue=school, unit=other, time_in=start, time_out=start + dt.timedelta(hours=6))

    page = browser_page
    LoginPage(page, live_server.url).open().login("officer_a", "correct-horse-battery")
    page.goto(f"{live_server.url}/cases/")
    page.locator("details.card summary").first.click()
    report = page.locator("form[action$='/cases/report/']")
    report.locator("input[name=id_number]").fill(patient.id_number)
    report.locator("select[name=kind]").select_option("confirmed")
    report.locator("input[name=onset_date]").fill(clock.today().isoformat())
    report.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/cases/" in page.url
    case_url = page.url

    page.locator("[data-ac] input.ac-q").first.fill(school.name[:3])  # the venue is searched by name, never typed as a code
    page.locator(f".ac-pick[data-value='{school.code}']").click()
    assert page.locator("input[name=venue_code]").input_value() == school.code
    page.fill("input[name=unit]", "初二3班")
    page.fill("input[name=time_in]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=time_out]", (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))
    page.click("form[action$='/stays/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "初二3班" in page.inner_text("body")

    page.click("a[href*='status=proposed']")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#contact-rows tbody tr")
    text = page.inner_text("#contact-rows")
    assert "初二3班" in text  # evidence names the class
    boxes = page.locator("#contact-rows input[name=ids]")
    proposed = RiskPerson.objects.filter(source_case__person=patient, status="proposed")
    assert boxes.count() == proposed.count() >= 3 and rows.count() >= 3
    assert not proposed.filter(person=next_door).exists()
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.click("button[name=decision][value=confirm]")
    page.wait_for_load_state("networkidle")
    assert RiskPerson.objects.filter(source_case__person=patient, status="under_measures").count() >= 3
    for p in classmates:
        status = HealthStatus.objects.get(person=p)
        assert status.colour in ("red", "yellow")
    case_id = case_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{live_server.url}/contacts/?case={case_id}")
    assert page.locator("#contact-rows .badge.red").count() >= 3  # under measures, with the plan's end date
    page.locator("#contact-rows a[href^='/contacts/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "初二3班" in page.inner_text("body")  # the evidence and the measure plan on the person's page
    page.go_back()

    with page.expect_download() as download:
        page.locator("a[href*='export=1']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(case_url.rstrip("/") + "/cluster/")
    page.wait_for_selector("canvas", timeout=10_000)
    assert page.console_errors == []
