"""Issue 22's phone-first check: every page of every demo role, at phone size (390 x 844) and at desktop size,
in Debian's Chromium, on a small demo city.

The pages are not a hand-typed list: each role starts from the home page and its own navigation menu, and
follows the links it is shown (one page per URL name of the resolver, so list pages lead to one detail page
of each kind); anonymous visitors get the resolver's parameter-less pages that answer them without a login.
A page fails on a console error, a failed request (4xx/5xx, or a request the network dropped), sideways
scrolling (document.scrollingElement.scrollWidth > innerWidth) or a visible form whose submit button is off
screen; phone pages also fail on a tap target (button, input, select, menu link) under 44 px high. The pages
visited per role are printed as a table."""

import importlib
import io
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import Error as PlaywrightError

from cordon.sim import demo_accounts
from tests.browser.pages import LoginPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MAX_PAGES_PER_ROLE = 70  # a role's first 70 page kinds: the nav, then one page of each kind its pages link to
SKIP_PREFIXES = ("/static/", "/api/", "/admin/", "/i18n/", "/logout/", "/media/")
SKIP_NAMES = {"checkpoints:sw", "community:sw"}  # the service worker scripts, not pages

# Measured in the page: sideways overflow, submit buttons off screen, tap targets under 44 px (phones only).
PROBE = """(phone) => {
  const W = window.innerWidth, out = {overflow: document.scrollingElement.scrollWidth - W, offscreen: [], small: []};
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden"; };
  const name = (el) => (el.tagName + (el.name ? "[name=" + el.name + "]" : "") + " " + (el.innerText || el.value || el.placeholder || "")).trim().slice(0, 60);
  for (const form of document.querySelectorAll("main form")) {
    if (!shown(form)) continue;
    const submits = [...form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]")].filter(shown);
    for (const b of submits) {
      const r = b.getBoundingClientRect(), box = b.closest(".card, table.list");
      const left = box && box.scrollWidth > box.clientWidth ? box.getBoundingClientRect().left : 0;
      const right = box && box.scrollWidth > box.clientWidth ? box.getBoundingClientRect().right : W;
      // a button inside a table or card that scrolls sideways is reached by scrolling that box, not the page
      if (!(box && box.scrollWidth > box.clientWidth) && (r.left < left - 1 || r.right > right + 1)) out.offscreen.push(name(b));
    }
  }
  if (phone) {
    const targets = document.querySelectorAll(
      "main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), main select, .topbar button, .menu-button");
    for (const el of targets) if (shown(el) && el.getBoundingClientRect().height < 43.5) out.small.push(name(el));
  }
  return out;
}"""


def _links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(SKIP_PREFIXES):
            continue
        if "export=" in parts.query:
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _url_name(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _check(page, url, problems, *, failed):
    """Load `url` at phone size, measure, widen to desktop size, measure again; append what is wrong."""
    page.set_viewport_size(PHONE)
    page.console_errors.clear()
    failed.clear()
    try:
        response = page.goto(url, wait_until="domcontentloaded")  # deferred scripts have run by then
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):  # a file to download (a report's .docx), not a page
            return False
        raise
    if response is None or response.status >= 400:
        problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
        return False
    for size, phone in ((PHONE, True), (DESKTOP, False)):
        page.set_viewport_size(size)
        seen = page.evaluate(PROBE, phone)
        label = "phone" if phone else "desktop"
        if seen["overflow"] > 0:
            problems.append(f"{url} [{label}]: scrolls sideways by {seen['overflow']} px")
        if seen["offscreen"]:
            problems.append(f"{url} [{label}]: submit buttons off screen: {seen['offscreen'][:3]}")
        if seen["small"]:
            problems.append(f"{url} [{label}]: tap targets under 44 px: {seen['small'][:3]}")
    for text in page.console_errors:
        problems.append(f"{url}: console error: {text[:200]}")
    for text in failed:
        problems.append(f"{url}: failed request: {text}")
    return True


def _crawl(page, origin, seeds, problems, failed, who):
    """Visit the seeds and then the links each page shows, one page per URL name; return the names visited."""
    queue, visited, found = list(seeds), {}, []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        name = _url_name(path)
        if name is None or name in visited or name in SKIP_NAMES:
            continue
        visited[name] = path
        if _check(page, origin + path, found, failed=failed):
            queue.extend(p for p in _links(page, origin) if _url_name(p) not in visited)
    problems.extend(f"{who}: {text.removeprefix(origin)}" for text in found)
    return visited


def _parameterless_pages():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<" not in str(p.pattern):
                yield "/" + prefix + str(p.pattern)
    return [u for u in walk(get_resolver().url_patterns) if not u.startswith(SKIP_PREFIXES)]


@pytest.fixture
def ledger_guard_lifted_at_teardown():
    """The stock ledger refuses DELETE (a database trigger): empty it past the guard after the test, so the
    transactional test's flush can run, and put the guard back for the tests that follow."""
    yield
    guard = importlib.import_module("cordon.supplies.migrations.0002_ledger_guard")
    vendor = connection.vendor
    create, drop = {"sqlite": (guard.SQLITE, guard.SQLITE_DROP), "postgresql": (guard.PG, guard.PG_DROP)}[vendor]
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)
        cursor.execute("DELETE FROM supplies_movement")
        for sql in create:
            cursor.execute(sql)


def _build_demo(monkeypatch):
    monkeypatch.setenv("CORDON_DEMO_SIM_DAYS", "3")  # the demo's tested length (tests/demo)
    call_command("demo", people=400, seed=1, quiet=True, stdout=io.StringIO())


def _one_user_per_role():
    seen, out = set(), []
    for username, role, _region, _desc in demo_accounts.demo_accounts():
        if role not in seen:
            seen.add(role)
            out.append((username, role))
    return out


def _phone_menu_opens_and_leads_somewhere(page, origin):
    page.set_viewport_size(PHONE)
    page.goto(origin + "/", wait_until="load")
    nav = page.locator("#nav")
    assert not nav.is_visible(), "the sidebar shows on a phone before the menu is opened"
    page.locator(".menu-button").click()
    assert nav.is_visible(), "the menu button does not open the navigation on a phone"
    box = nav.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.keyboard.press("Escape")
    assert not nav.is_visible(), "Escape does not close the phone menu"


# long: one walk over every role's pages, with the table printed at the end
def test_every_page_of_every_role_works_on_a_phone_and_on_a_desktop(live_server, browser_page, monkeypatch, capsys,
                                                                   ledger_guard_lifted_at_teardown):
    _build_demo(monkeypatch)
    page, origin = browser_page, live_server.url
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    problems, table = [], []

    anonymous = Client(raise_request_exception=False)
    public = [u for u in _parameterless_pages() if anonymous.get(u).status_code == 200]
    started = time.perf_counter()
    visited = _crawl(page, origin, public, problems, failed, "anonymous")
    table.append(("(public)", "anonymous", visited, time.perf_counter() - started))

    for username, role in _one_user_per_role():
        started = time.perf_counter()
        page.context.clear_cookies()
        LoginPage(page, origin).open().login(username, demo_accounts.DEMO_PASSWORD)
        if username == "commander":
            _phone_menu_opens_and_leads_somewhere(page, origin)
        seeds = ["/", *(urlsplit(h).path for h in page.eval_on_selector_all("#nav a[href]", "els => els.map(e => e.href)"))]
        visited = _crawl(page, origin, seeds, problems, failed, username)
        assert len(visited) > 1, f"{username} reached no page after logging in"
        table.append((username, role, visited, time.perf_counter() - started))

    with capsys.disabled():
        print(f"\n{'user':<14} {'role':<20} {'pages':>5} {'s':>5}  pages visited (phone 390x844 and desktop 1366x900)")
        for username, role, names, seconds in table:
            print(f"{username:<14} {role:<20} {len(names):>5} {seconds:>5.0f}  {', '.join(sorted(names))}")
        print(f"{'total':<35} {sum(len(row[2]) for row in table):>5} {sum(row[3] for row in table):>5.0f}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
