"""Issue 13, part 2: every page each role can reach, crawled in real Chromium, in Danish and in
English, with an axe-core scan that fails on a violation of any impact.

The crawl starts at the role's home page on the demo data (``seed_demo``) and follows the
links it finds: same origin, GET only (logging out and every change is a POST form, never a
link), HTML pages only (a PDF, CSV or calendar link is fetched and must answer, not scanned).
It is bounded by URL *pattern*: numbers in the path become ``<n>`` and query values are
ignored, so ``/virksomheder/7/`` and ``/virksomheder/8/`` count as one page type and at most
``PER_PATTERN`` of each are visited. Django's admin (the administrator's own tool, styled by
Django) is left out. Every stylesheet and script must load: a 404 on /static/ fails the crawl
(the contrast checks need the real CSS).

``CRAWL_REPORT=/tmp/dir`` writes each role's visited pages and problems there;
``CRAWL_SCREENSHOTS=/tmp/dir`` also saves each role's home page and lists at 1366 and 390 px.
"""

import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from csrprogram.demo import DEMO_DOMAIN, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_PATTERN = 1
MAX_PAGES = 120
# Not crawled: Django's admin, logging out, and the language switch's target (POST only anyway).
SKIPPED_PREFIXES = ("/admin/", "/konto/logout/", "/i18n/")

ROLES = {
    "consultant": f"konsulent@{DEMO_DOMAIN}",
    "team_leader": f"teamleder@{DEMO_DOMAIN}",
    "company_contact": f"virksomhed@{DEMO_DOMAIN}",
    "administrator": f"admin@{DEMO_DOMAIN}",
}


def pattern_of(url: str) -> str:
    """``/virksomheder/12/?q=x&page=2`` → ``/virksomheder/<n>/?…``: the page's type (a list
    filtered, sorted or paged is one type, apart from the list as it opens)."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    path = re.sub(r"/[A-Za-z0-9_-]{20,}(?=/|$)", "/<token>", path)
    return path + ("?…" if parts.query else "")


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation on the page, of any impact, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def log_in_as(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/konto/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#user-menu")).to_be_attached()


def switch_language(page: Page, code: str) -> None:
    """Through the user menu, as a person would (the toggle sits behind the menu button on
    narrow screens)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("#user-menu").click()
    page.locator(f".language-form button[value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def crawl(page: Page, base_url: str) -> tuple[list[str], list[str]]:
    """Visit every reachable page type; returns (visited URLs, problems)."""
    problems: list[str] = []
    static_failures: list[str] = []
    page.on("response", lambda response: static_failures.append(
        f"{response.status} {response.url}") if "/static/" in response.url
        and response.status >= 400 else None)
    seen_patterns: dict[str, int] = {}
    queued = {f"{base_url}/"}
    queue = deque([f"{base_url}/"])
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        answer = page.request.get(url, max_redirects=5)
        if answer.status >= 400:
            problems.append(f"{url}: HTTP {answer.status}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue  # a download that answered; nothing to scan
        page.goto(url)
        visited.append(url)
        for violation in axe_violations(page):
            problems.append(f"{url}: {violation}")
        hrefs = page.eval_on_selector_all(
            "a[href]", "links => links.map(link => link.getAttribute('href'))")
        for href in hrefs:
            target = urljoin(page.url, href).split("#", 1)[0]
            if not target.startswith(base_url):
                continue
            path = urlsplit(target).path
            if path.startswith(SKIPPED_PREFIXES) or target in queued:
                continue
            pattern = pattern_of(target)
            if seen_patterns.get(pattern, 0) >= PER_PATTERN:
                continue
            seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
            queued.add(target)
            queue.append(target)
    problems.extend(f"static file failed: {failure}" for failure in static_failures)
    return visited, problems


@pytest.fixture
def demo_data(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_reaches_passes_axe_in_danish_and_english(
        live_server, page: Page, demo_data, role):
    # The login page itself, before anyone is logged in.
    page.goto(f"{live_server.url}/konto/login/")
    problems = [f"login page: {violation}" for violation in axe_violations(page)]
    log_in_as(page, live_server.url, ROLES[role])
    visited_da, problems_da = crawl(page, live_server.url)
    problems += problems_da
    switch_language(page, "en")
    visited_en, problems_en = crawl(page, live_server.url)
    problems += problems_en
    report = os.environ.get("CRAWL_REPORT")
    if report:
        Path(report, f"{role}.txt").write_text("\n".join(visited_da + visited_en + problems))
    # The crawl reached more than the home page (a broken link walk would pass vacuously).
    assert len(visited_da) > 3, visited_da
    assert len(visited_en) > 3, visited_en
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", list(ROLES))
def test_the_header_is_one_bar_of_at_most_64_px(live_server, page: Page, demo_data, role):
    log_in_as(page, live_server.url, ROLES[role])
    folder = os.environ.get("CRAWL_SCREENSHOTS")
    for width in (1024, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/")
        height = page.evaluate("document.querySelector('.app-header').getBoundingClientRect()"
                               ".height")
        assert height <= 64, f"header {height} px high at {width} px"
    # The user menu holds the name, the password change, the languages and logging out.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#user-menu").click()
    menu = page.locator("#user-menu + .dropdown-menu")
    expect(menu.get_by_role("link", name="Skift adgangskode")).to_be_visible()
    expect(menu.get_by_role("button", name="Dansk")).to_be_visible()
    expect(menu.get_by_role("button", name="English")).to_be_visible()
    expect(menu.get_by_role("button", name="Log ud")).to_be_visible()
    if folder:
        page.keyboard.press("Escape")
        pages = page.eval_on_selector_all(
            "#main-nav .nav-link[href]", "links => links.map(link => link.getAttribute('href'))")
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for number, href in enumerate(pages):
                page.goto(f"{live_server.url}{href}")
                name = href.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(Path(folder) / f"{role}_{number}_{name}_{width}.png"),
                                full_page=True)
