"""An attendee on a phone sets up their calendar feed, gets a new address, and their calendar
app (here: a plain HTTP client) fetches it. Screenshots go to the test's tmp_path and to
/tmp/shots-feeds/."""

import re
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from screens import fits as fits_the_screen
from screens import log_in as log_in_with
from screens import take_shot

from confnet.extensions import db
from confnet.models import Role
from confnet.schedule.services import star_session

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-feeds")
PASSWORD = "correct horse battery"  # tests/factories.py

shoot = partial(take_shot, shots=SHOTS)
log_in = partial(log_in_with, password=PASSWORD)


@pytest.fixture
def attendee(make):
    conference = make.conference(
        "medconnect-e2e",
        name="MedConnect Europe 2027",
        starts_on=date(2027, 3, 26),
        days=3,
        venue="De Doelen",
        city="Rotterdam",
    )
    user = make.user("lotte.e2e@example.org", "Dr. Lotte van Dijk")
    make.member(user, conference, Role.ATTENDEE)
    room = make.room(conference, "Maas Room")
    talk = make.item(
        conference,
        title="Heart failure in 2027: what changed",
        starts_at=datetime(2027, 3, 28, 7, 0, tzinfo=UTC),  # 09:00 CEST, after the jump
        room=room,
    )
    make.publish(conference)
    star_session(user, talk.published)
    db.session.commit()
    return {"user": user, "talk": talk}


def on_server(live_server: str, url: str) -> str:
    """``url`` on the live server (absolute URLs name the configured SERVER_NAME)."""
    return live_server + urlsplit(url).path


def test_an_attendee_subscribes_and_renews_the_address_on_a_phone(
    live_server, phone: Page, attendee, tmp_path
):
    phone.emulate_media(reduced_motion="reduce")
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(phone, live_server, attendee["user"].email)

    phone.goto(live_server + "/c/medconnect-e2e/")
    phone.get_by_role("link", name=re.compile("My calendar feed")).click()
    expect(phone.get_by_role("heading", name="Calendar feed", level=1)).to_be_visible()
    shoot(phone, tmp_path, "1-calendar-off.png")
    phone.get_by_role("button", name="Create my calendar feed").click()

    expect(phone.get_by_text("Your calendar feed is ready.")).to_be_visible()
    apps = phone.get_by_role("navigation", name="Subscribe in")
    for name in ("Apple Calendar", "Google Calendar", "Outlook.com", "Thunderbird"):
        expect(apps.get_by_role("link", name=re.compile(name))).to_be_visible()
    expect(phone.get_by_text("Google Calendar is slow to update")).to_be_visible()
    expect(phone.get_by_role("img", name="QR code of your calendar feed address")).to_be_visible()
    address = phone.get_by_label("For any app that can “subscribe from URL”")
    first_url = address.input_value()
    # Absolute URLs use the configured SERVER_NAME (confnet.test in tests).
    assert re.fullmatch(r"http://confnet\.test/feeds/[A-Za-z0-9_-]{43}\.ics", first_url)
    webcal = apps.get_by_role("link", name=re.compile("Apple Calendar"))
    assert webcal.get_attribute("href") == first_url.replace("http://", "webcal://")
    box = webcal.bounding_box()
    assert box and box["height"] >= 44

    phone.get_by_role("button", name="Copy").click()
    expect(phone.locator("#copy-status")).to_have_text(re.compile("Copied|Selected"))
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "2-calendar-on.png")

    feed = phone.request.get(on_server(live_server, first_url))
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    body = feed.text()
    assert f"UID:{attendee['talk'].guid}@confnet" in body
    assert "DTSTART;TZID=Europe/Amsterdam:20270328T090000" in body

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Get a new address").click()
    expect(phone.get_by_text("the old one has stopped working")).to_be_visible()
    new_url = address.input_value()
    assert new_url != first_url
    assert phone.request.get(on_server(live_server, first_url)).status == 404
    assert phone.request.get(on_server(live_server, new_url)).status == 200
    shoot(phone, tmp_path, "3-new-address.png")

    phone.set_viewport_size({"width": 360, "height": 780})
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "4-calendar-360px.png")


@pytest.mark.parametrize("phone", ["dark"], indirect=True)
def test_the_calendar_page_in_dark_mode(live_server, phone: Page, attendee, tmp_path):
    log_in(phone, live_server, attendee["user"].email)
    phone.goto(live_server + "/account/calendar")
    phone.get_by_role("button", name="Create my calendar feed").click()
    expect(phone.get_by_role("heading", name="Subscribe in one tap")).to_be_visible()
    background = phone.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(14, 20, 23)"  # --bg in dark mode
    qr = phone.locator(".feed-qr-code svg rect, .feed-qr-code svg path").first
    assert qr.get_attribute("fill") == "#fff"  # the code stays dark on white
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "5-calendar-dark.png")
