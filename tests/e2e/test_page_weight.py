"""Fast on a bad network: the main pages are small on the wire, and a repeat visit asks the
server for the page alone (CSS, JS and images come from the browser's cache). Measured like
``make bench-pages`` (bench/page_weight.py), whose table this test prints (``pytest -s``)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from bench.page_weight import PHONE, HitCounter, log_in, main_pages, measure, table
from confnet.demo import SLUG

pytestmark = pytest.mark.e2e

KB = 1024
PLAN = re.compile(r"^/c/[^/]+/offline\.json$")  # the service worker's "new release?" check
# Bytes on the wire with an empty cache: (the page's HTML, everything the page loads).
# Measured on the demo (its busiest day has about 20 sessions) at under half of each budget.
BUDGETS = {
    "schedule day": (10 * KB, 40 * KB),
    "session page": (6 * KB, 40 * KB),
    "my agenda": (8 * KB, 40 * KB),
    "people directory": (10 * KB, 40 * KB),
    "shared notes": (6 * KB, 40 * KB),
}


@pytest.fixture
def attendee(demo):
    return next(login for login in demo.logins if login.role == "attendee")


@pytest.fixture
def counter(app, monkeypatch) -> HitCounter:
    """Every request the live server receives during the test."""
    counter = HitCounter(app.wsgi_app)
    monkeypatch.setattr(app, "wsgi_app", counter)
    return counter


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.fixture(params=["block", "allow"], ids=["http-cache", "service-worker"])
def phone_page(browser, request) -> Iterator[Page]:
    """A phone-sized page, with or without the service worker; console errors fail the test."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, service_workers=request.param
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == []


def test_a_repeat_visit_asks_only_for_the_page(live_server, phone_page: Page, attendee, counter):
    """With the browser's HTTP cache alone and with the service worker: once the worker has
    saved the conference (its banner says so), it asks for nothing more than, at most once a
    minute, whether there is a new release."""
    page = phone_page
    log_in(page, live_server, attendee.email, attendee.password)
    names = {"schedule day", "session page", "my agenda"}
    paths = [path for name, path in main_pages(page, live_server, SLUG) if name in names]
    for path in paths:
        open_page(page, live_server + path)
    if page.evaluate("navigator.serviceWorker && !!navigator.serviceWorker.controller"):
        saved = page.locator("#offline-status")
        expect(saved).to_have_attribute("data-offline-ready", re.compile(r"\d"), timeout=60_000)
    counter.take()
    for path in paths:
        open_page(page, live_server + path)
        hits = counter.take()
        assert [hit for hit in hits if not PLAN.search(hit)] == [path]
        assert len(hits) <= 2, hits
    page.reload()  # even a reload doesn't ask for the immutable assets again
    page.wait_for_load_state("networkidle")
    assert [hit for hit in counter.take() if not PLAN.search(hit)] == [paths[-1]]


def test_main_pages_stay_within_their_budgets(live_server, browser, attendee, counter):
    weights = measure(browser, live_server, SLUG, attendee.email, attendee.password, counter)
    print("\n" + table(weights))
    assert [w.name for w in weights] == list(BUDGETS)
    for w in weights:
        html_budget, total_budget = BUDGETS[w.name]
        assert w.first.html_wire < w.first.html_decoded / 2, f"{w.name}: HTML not compressed"
        assert w.first.html_wire <= html_budget, (w.name, w.first.html_wire)
        assert w.first.wire <= total_budget, (w.name, w.first.wire)
        assert w.repeat.server_hits == [w.path], w.name
        assert w.repeat.wire == w.repeat.html_wire, w.name
