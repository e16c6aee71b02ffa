"""An organizer on a phone and on a laptop: find a session, move it into a double booking, see
the conflict named, publish anyway, and check demand. Screenshots go to ``tmp_path`` (or to
``$CONFNET_SHOTS_DIR`` when set, e.g. /tmp/shots-programme)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from screens import fits as fits_the_screen

from confnet.demo import ORGANIZER

pytestmark = pytest.mark.e2e

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
SCREENS = {"phone": (PHONE, "light"), "laptop": (LAPTOP, "light"), "phone-dark": (PHONE, "dark")}
MOVED = "Managing immunotherapy toxicities on the general ward"  # Fri 10:30, Maas Room
THERE = "Antimicrobial stewardship when the laboratory is far away"  # Fri 10:30, Rotte Room


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("CONFNET_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    """A page at phone or laptop size; console errors and page errors fail the test."""
    viewport, scheme = SCREENS[request.param]
    phone = viewport is PHONE
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        color_scheme=scheme,
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield request.param, page
    context.close()
    assert problems == []


def test_organizer_resolves_a_double_booking_and_publishes(live_server, demo, screen, shots):
    size, page = screen
    page.goto(live_server + "/log-in")
    page.get_by_label("Email").fill(ORGANIZER[0])
    page.get_by_label("Password").fill(ORGANIZER[2])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()

    page.goto(f"{live_server}/c/{demo.conference.slug}/manage")
    expect(page.get_by_text("0 conflicts")).to_be_visible()
    nav = page.get_by_role("navigation", name="Programme management")
    nav.get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Fri 26 Mar 2027")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=shots / f"{size}-1-sessions.png", full_page=True)

    page.get_by_role("link", name=MOVED).click()
    page.get_by_label("Room").select_option(label="Rotte Room")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Rotte Room is also booked for “{THERE}” (Fri 26 Mar 10:30–11:15)"
    )
    assert fits_the_screen(page)
    page.screenshot(path=shots / f"{size}-2-edit-with-conflict.png", full_page=True)

    nav.get_by_role("link", name="Sessions").click()
    page.get_by_label("Day").select_option(label="Fri 26 Mar")
    page.get_by_label("Room").select_option(label="Rotte Room")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("listitem").filter(has_text=MOVED)
    expect(row).to_contain_text("changes not published (room changed)")
    expect(row.get_by_role("link", name="1 conflict")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=shots / f"{size}-2b-sessions-filtered.png", full_page=True)

    nav.get_by_role("link", name="Releases").click()
    expect(page.get_by_text("Maas Room → Rotte Room")).to_be_visible()
    page.get_by_role("button", name="Publish release 2").click()
    expect(page.get_by_role("alert")).to_contain_text("The schedule has 2 conflict(s)")
    assert fits_the_screen(page)
    page.screenshot(path=shots / f"{size}-3-releases-needs-confirmation.png", full_page=True)
    page.get_by_label("Publish anyway, with 2 conflicts").check()
    page.get_by_label("Note for attendees (optional)").fill("Immunotherapy talk moves rooms.")
    page.get_by_role("button", name="Publish release 2").click()
    expect(page.get_by_text("Release 2 published.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing to publish")).to_be_visible()
    page.screenshot(path=shots / f"{size}-4-releases-history.png", full_page=True)

    nav.get_by_role("link", name="Demand").click()
    expect(page.get_by_role("img", name=re.compile("Stars per session"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(MOVED)
    assert fits_the_screen(page)
    page.screenshot(path=shots / f"{size}-5-demand.png", full_page=True)

    # Published with the conflict confirmed: it is still listed until someone fixes it.
    nav.get_by_role("link", name="Conflicts").click()
    expect(page.get_by_role("heading", name=MOVED)).to_be_visible()
    page.screenshot(path=shots / f"{size}-6-conflicts.png", full_page=True)
    for name in ("Overview", "Rooms", "Tracks"):
        nav.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Programme" if name == "Overview" else name
        )
        assert fits_the_screen(page), name
        page.screenshot(path=shots / f"{size}-7-{name.lower()}.png", full_page=True)
