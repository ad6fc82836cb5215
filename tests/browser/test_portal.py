"""The public portal works for everyone: every public page answers 200 with its real content, on a phone (390x844)
and on a desktop, in Chinese and in English, with no console errors and nothing wider than the screen."""

import datetime as dt

import pytest

from cordon.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _public_content(city, cast) -> dict:
    """What the demo shows the public: a published bulletin, a problem under public tracking, the hotlines."""
    from cordon.bulletins import services as bulletins
    from cordon.cases.models import Case
    from cordon.command import services as command
    from cordon.people.factories import PersonFactory

    Case.objects.create(person=PersonFactory(grid=city.a_grid), region_path=city.a_grid.path, kind="confirmed", found_by="community",
                        confirmed_at=clock.now() - dt.timedelta(days=2))
    b = bulletins.bulletin_draft(actor=cast.commander)
    bulletins.bulletin_approve(actor=cast.commander, bulletin=b)
    bulletins.bulletin_publish(actor=cast.commander, bulletin=b)
    command.inspection_record(actor=cast.commander, region_path=city.a_grid.path, place="甲一小区东门",
                              findings=[{"title": "东门夜间无人值守", "severity": "severe", "owner_id": cast.officer_a.pk}])
    b.refresh_from_db()
    return {"bulletin": b}


# The public pages and, per language, a text each must show (its own content, not just the frame).
def _pages(made) -> list[tuple[str, dict]]:
    b = made["bulletin"]
    return [
        ("/bulletins/portal/", {"zh-hans": [b.public_title, "东门夜间无人值守", "12345"], "en": ["Bulletins", "东门夜间无人值守", "Hotlines"]}),
        (f"/bulletins/portal/{b.pk}/", {"zh-hans": [b.public_title], "en": [b.public_title]}),
        ("/screening/lookup/", {"zh-hans": ["身份证"], "en": ["ID"]}),
        ("/checkpoints/code/", {"zh-hans": ["健康码"], "en": ["health code"]}),
        ("/zones/public/", {"zh-hans": ["风险"], "en": ["risk"]}),
        ("/livelihood/portal/", {"zh-hans": ["求助"], "en": ["help"]}),
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_public_page_answers_with_its_content_on_a_phone_and_a_desktop_in_both_languages(
        live_server, browser_page, city, cast, viewport, language):
    made = _public_content(city, cast)
    page = browser_page
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for path, texts in _pages(made):
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 200, (path, answer.status)
        body = page.inner_text("body")
        for text in texts[language]:
            assert text.lower() in body.lower(), (path, language, text)
        assert page.evaluate("document.documentElement.lang").lower().startswith(language[:2]), path
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= viewport["width"] + 1, (path, "wider than the screen", wide)
    assert page.console_errors == []


def test_the_portal_language_switch_turns_the_page_into_english(live_server, browser_page, city, cast):
    _public_content(city, cast)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])  # a resident's phone in Chinese
    page.goto(f"{live_server.url}/bulletins/portal/")
    chinese = page.inner_text("h1")
    assert chinese and "Epidemic" not in chinese
    page.select_option("select[name=language]", "en")
    page.click("form.lang button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Epidemic prevention information" in page.inner_text("h1")
    assert page.console_errors == []
