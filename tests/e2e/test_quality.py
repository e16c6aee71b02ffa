"""The checks a person would run with Lighthouse, on the pages a visitor, an attendee, an
organizer and a site admin reach from their starting pages (links followed up to two steps,
one page per URL shape):

- no console errors, page errors, failed requests or error responses;
- ``<html lang>``, a viewport meta, exactly one h1, an alt on every image and a name on every
  form control and button (checked in the page, always);
- Deque's axe-core WCAG 2.1 A/AA and best-practice rules (accessible names, colour contrast,
  landmarks...), in light and dark mode, on those pages and on forms showing errors and
  messages, when axe-core is installed (``make axe``, or set ``CONFNET_AXE`` to an npm prefix).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page, expect
from screens import log_in
from sqlalchemy import select

from confnet import ROOT
from confnet.demo import SLUG
from confnet.extensions import db
from confnet.models import ItemKind, ScheduleItem

pytestmark = pytest.mark.e2e

AXE = Path(os.environ.get("CONFNET_AXE", ROOT / ".cache" / "axe")) / "node_modules/axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
C = f"/c/{SLUG}"
# Where each role starts ({w}: a workshop's id), and how many steps of links it follows from there.
STARTS = {
    "visitor": (["/", "/conferences", f"{C}/", f"{C}/schedule", "/log-in", "/sign-up"], 2),
    "attendee": (
        ["/", f"{C}/schedule", f"{C}/agenda", f"{C}/people", f"{C}/my-notes", "/notifications"]
        + [
            f"{C}/sessions/{{w}}",
            f"{C}/sessions/{{w}}/my-note",
            f"{C}/sessions/{{w}}/notes/history",
        ],
        2,
    ),
    "organizer": (
        [f"{C}/manage", f"{C}/manage/sessions", f"{C}/members", f"{C}/settings"]
        + [f"{C}/manage/workshops/{{w}}", f"{C}/manage/workshops/{{w}}/door"],
        2,
    ),
    "site admin": (["/admin/", "/admin/outbox", "/admin/conferences/new"], 0),
}
NOT_PAGES = re.compile(r"\.(ics|csv|json|xml|zip|webmanifest|js)$|^/log-out|^/feeds/|^/static/")
PAGES_PER_ROLE = 20  # the suite's time budget: ~20 distinct page shapes per role

CHECK_PAGE = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  const viewport = document.querySelector('meta[name="viewport"]');
  if (!viewport || !viewport.content.includes("width=device-width")) {
    problems.push("no viewport meta");
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  for (const img of document.images) {
    if (!img.hasAttribute("alt")) problems.push(`image without alt: ${img.outerHTML.slice(0, 80)}`);
  }
  const text = (el) => (el ? el.textContent.trim() : "");
  const named = (c) =>
    [...(c.labels || [])].some((l) => text(l)) ||
    (c.getAttribute("aria-label") || "").trim() ||
    (c.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .some((id) => text(document.getElementById(id))) ||
    (c.title || "").trim() ||
    (c.tagName === "BUTTON" && text(c)) ||
    (["submit", "reset", "button"].includes(c.type) && c.tagName === "INPUT" && c.value.trim());
  for (const c of document.querySelectorAll("input:not([type=hidden]), select, textarea, button")) {
    if (!named(c)) problems.push(`control without a name: ${c.outerHTML.slice(0, 100)}`);
  }
  return problems;
}"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags },
                                           resultTypes: ["violations"] });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -- ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ((n.any[0] || {}).message ?
      ` [${n.any[0].message}]` : "")).join(" | "));
}"""


@pytest.fixture
def workshop(demo) -> int:
    """The id of the demo's first workshop (its pages show the sign-up panel)."""
    return db.session.scalar(
        select(ScheduleItem.id).filter_by(kind=ItemKind.WORKSHOP).order_by(ScheduleItem.id)
    )


def watch(page: Page, base: str) -> list[str]:
    """Console errors, page errors, failed requests and error responses, as they happen."""
    seen: list[str] = []
    page.on("console", lambda m: m.type == "error" and seen.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    # A request the browser dropped because the page moved on (ERR_ABORTED: the crawl navigates
    # as soon as a page has loaded) is not a broken resource; every other failure is.
    page.on(
        "requestfailed",
        lambda r: (
            "ERR_ABORTED" not in (r.failure or "") and seen.append(f"failed: {r.url} {r.failure}")
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and r.url.startswith(base) and seen.append(f"{r.status}: {r.url}")
        ),
    )
    return seen


def crawl(page: Page, base: str, role: str, workshop: int, settle="networkidle") -> Iterator[str]:
    """Open the role's start pages, then the pages they link to (same site, HTML, one per URL
    shape, up to the role's number of steps); yield each path once the page has loaded and,
    with "networkidle", made its late requests too."""
    starts, steps = STARTS[role]
    queue = [(path.format(w=workshop), 0) for path in starts]
    shapes: set[str] = set()
    for count, (path, depth) in enumerate(_unvisited(queue, shapes, len(starts))):
        if count == PAGES_PER_ROLE:
            return
        page.goto(base + path)
        page.wait_for_load_state(settle)
        yield path
        if depth < steps:
            for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                url = urldefrag(link).url
                if url.startswith(base):
                    queue.append((urlsplit(url).path, depth + 1))


def _unvisited(
    queue: list[tuple[str, int]], shapes: set[str], starts: int
) -> Iterator[tuple[str, int]]:
    """Take from ``queue`` (which grows meanwhile): every start page, then one page per shape
    (its path with every number as N)."""
    taken = 0
    while queue:
        path, depth = queue.pop(0)
        taken += 1
        shape = re.sub(r"\d+", "N", path)
        if NOT_PAGES.search(path) or (shape in shapes and taken > starts):
            continue
        shapes.add(shape)
        yield path, depth


def open_as(browser, base: str, role: str, demo, **context_args) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **context_args)
    page = context.new_page()
    if role != "visitor":
        login = next(login for login in demo.logins if login.role == role)
        log_in(page, base, login.email, login.password)
    return page


@pytest.mark.parametrize("role", list(STARTS))
def test_pages_load_cleanly_and_are_well_formed(live_server, browser, demo, workshop, role):
    page = open_as(browser, live_server, role, demo)
    seen = watch(page, live_server)
    problems, visited = [], []
    try:
        for path in crawl(page, live_server, role, workshop):
            visited.append(path)
            found = seen + page.evaluate(CHECK_PAGE)
            problems += [f"{path}: {problem}" for problem in found]
            seen.clear()
    finally:
        page.context.close()
    assert len(visited) >= len(STARTS[role][0]), visited
    assert problems == [], "\n".join(problems)


needs_axe = pytest.mark.skipif(
    not AXE.is_dir(), reason=f"axe-core is not installed (make axe, or set CONFNET_AXE): {AXE}"
)


def audit(page: Page, what: str) -> list[str]:
    """axe's violations and the page checks on what ``page`` shows once it has loaded."""
    page.wait_for_load_state("load")
    found = page.evaluate(RUN_AXE, AXE_TAGS) + page.evaluate(CHECK_PAGE)
    return [f"{what}: {problem}" for problem in found]


@needs_axe
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("role", list(STARTS))
def test_pages_pass_axe(live_server, browser, demo, workshop, role, scheme):
    page = open_as(browser, live_server, role, demo, color_scheme=scheme)
    page.context.add_init_script(path=str(AXE / "axe.min.js"))
    problems = []
    try:
        for path in crawl(page, live_server, role, workshop, settle="load"):
            problems += [f"{path}: {v}" for v in page.evaluate(RUN_AXE, AXE_TAGS)]
    finally:
        page.context.close()
    assert problems == [], "\n".join(problems)


@needs_axe
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_errors_and_messages_pass_axe(live_server, browser, demo, scheme):
    """Form errors, field errors and the success and info messages, as a visitor who signs up,
    logs in with a typo, then logs in and out."""
    page = open_as(browser, live_server, "visitor", demo, color_scheme=scheme)
    page.context.add_init_script(path=str(AXE / "axe.min.js"))
    seen = watch(page, live_server)
    problems = []
    try:
        page.goto(live_server + "/sign-up")
        page.get_by_role("button", name="Create account").click()
        problems += audit(page, "sign-up with empty fields")
        page.get_by_label("Full name").fill("Grace Hopper")
        page.get_by_label("Email").fill("grace@example.org")
        page.get_by_label("Password", exact=True).fill("a compiler for everyone")
        page.get_by_label("Repeat password").fill("a compiler for everyone")
        page.get_by_role("button", name="Create account").click()
        problems += audit(page, "signed up (success message)")
        page.get_by_label("Email").fill("grace@example.org")
        page.get_by_label("Password").fill("not my password")
        page.get_by_role("button", name="Log in").click()
        problems += audit(page, "wrong password")
        page.get_by_label("Password").fill("a compiler for everyone")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        page.goto(live_server + "/log-out")
        page.get_by_role("button", name="Log out").click()
        problems += audit(page, "logged out (info message)")
    finally:
        page.context.close()
    assert seen + problems == [], "\n".join(seen + problems)


BAD_PAGE = """<!doctype html><html><head><title>Bad</title></head><body><main>
<h1>One</h1><h1>Two</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#999;background:#fff">Pale text</p>
<form><input name="q"><button></button><select name="s"><option>a</option></select></form>
</main></body></html>"""


def test_the_checks_find_what_they_look_for(browser):
    """On a page with every fault, each check speaks up (so a clean run means something)."""
    context = browser.new_context(viewport=PHONE)
    if AXE.is_dir():
        context.add_init_script(path=str(AXE / "axe.min.js"))
    page = context.new_page()
    try:
        page.set_content(BAD_PAGE)
        found = page.evaluate(CHECK_PAGE)
        violations = page.evaluate(RUN_AXE, AXE_TAGS) if AXE.is_dir() else []
    finally:
        context.close()
    assert "no lang on <html>" in found and "no viewport meta" in found
    assert "2 h1 elements" in found
    assert any(p.startswith("image without alt") for p in found)
    assert sum(p.startswith("control without a name") for p in found) == 3
    if AXE.is_dir():
        rules = {v.split(" ")[0] for v in violations}
        expected = {"html-has-lang", "image-alt", "label", "button-name", "color-contrast"}
        assert expected <= rules, rules
