import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_offline_and_list_the_operations(live_server, browser_page):
    requested = []
    browser_page.on("request", lambda req: requested.append(req.url))
    browser_page.goto(f"{live_server.url}/api/v1/docs")
    browser_page.wait_for_selector(".opblock", timeout=30000)
    assert browser_page.locator(".opblock").count() > 100
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), requested
    assert not [e for e in browser_page.console_errors if "Content Security Policy" in e]
