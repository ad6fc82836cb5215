import pytest

from tests.browser.pages import LoginPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_logs_in_and_sees_the_city_map_without_console_errors(live_server, browser_page, city, cast):
    cast.commander.set_password("correct-horse-battery")
    cast.commander.save()
    home = LoginPage(browser_page, live_server.url).open().login("commander", "correct-horse-battery")
    assert home.map_canvas().count() >= 1
    assert "测试市" in browser_page.inner_text("h1")
    assert len(home.nav_titles()) >= 1
    assert browser_page.console_errors == []


def test_a_wrong_password_shows_an_error(live_server, browser_page, city, cast):
    LoginPage(browser_page, live_server.url).open().login("commander", "nope-nope-nope")
    assert browser_page.locator(".error").count() == 1
