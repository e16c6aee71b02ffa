"""Meeting people on a phone: Lotte finds Lena through a suggestion, asks for an introduction,
Lena accepts on her own phone, they see each other's contact details, write, and book a meeting
that lands in both agendas. Screenshots go to the test's tmp_path and to /tmp/shots-people/."""

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import expect
from screens import fits, take_shot
from screens import log_in as log_in_with

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-people")
PASSWORD = "demo-attendee-2027"
LOTTE, LENA = "lotte.van.dijk@confnet.test", "lena.schneider@confnet.test"
LENA_CONTACT = "lena.schneider@confnet.test"

shoot = partial(take_shot, shots=SHOTS)
log_in = partial(log_in_with, password=PASSWORD)


@pytest.fixture(autouse=True)
def before_the_conference(monkeypatch):
    """The demo conference is in March 2027; meetings are proposed as if it were still ahead
    (the live server runs in this process, so the pages see the same clock)."""
    ahead = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("confnet.meetings.views.utcnow", lambda: ahead)
    monkeypatch.setattr("confnet.schedule.services.utcnow", lambda: ahead)


def second_phone(browser):
    return browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )


def test_suggestion_introduction_contact_and_meeting(live_server, phone, browser, demo, tmp_path):
    slug = demo.conference.slug
    log_in(phone, live_server, LOTTE)
    phone.goto(f"{live_server}/c/{slug}/")
    phone.get_by_role("navigation", name="Main (bottom)").get_by_role("link", name="People").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("People to meet")
    first = phone.locator("main li").filter(has_text="Lena Schneider").first
    expect(first).to_contain_text("Lena")  # her reasons are in plain words
    shoot(phone, tmp_path, "01-suggestions")
    assert fits(phone)

    first.get_by_role("link", name="Lena Schneider").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Lena Schneider")
    expect(phone.locator("main")).not_to_contain_text(LENA_CONTACT)  # private until accepted
    shoot(phone, tmp_path, "02-person")
    phone.get_by_role("link", name="Ask for an introduction").click()
    phone.get_by_label("Why would you like to meet?").fill(
        "We both work on remote monitoring <b>in heart failure</b>; coffee?"
    )
    shoot(phone, tmp_path, "03-ask")
    phone.get_by_role("button", name="Send the request").click()
    expect(phone.locator(".flash")).to_contain_text("Lena")

    lena_context = second_phone(browser)
    lena = lena_context.new_page()
    log_in(lena, live_server, LENA)
    lena.goto(f"{live_server}/c/{slug}/introductions")
    request = lena.locator("main li").filter(has_text="Lotte van Dijk").first
    expect(request).to_contain_text("<b>in heart failure</b>")  # shown as typed, inert
    shoot(lena, tmp_path, "04-lena-inbox")
    request.get_by_role("button", name="Accept").click()
    expect(lena.locator(".flash")).to_contain_text("Lotte")

    phone.goto(f"{live_server}/c/{slug}/introductions")
    phone.get_by_role("link", name="Lena Schneider").first.click()
    expect(phone.get_by_role("heading", name="Contact details")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(LENA_CONTACT)
    phone.get_by_label("Your message").fill("Great! Tuesday works?")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("main")).to_contain_text("Great! Tuesday works?")
    shoot(phone, tmp_path, "05-connection")
    assert fits(phone)

    phone.get_by_role("link", name="Book a meeting").click()
    expect(phone.get_by_role("heading", name="When you're both free")).to_be_visible()
    shoot(phone, tmp_path, "06-book")
    phone.locator("section[aria-labelledby='free-h'] li button").first.click()
    expect(phone.locator(".flash")).to_contain_text("Lena")

    lena.goto(f"{live_server}/c/{slug}/meetings")
    lena.get_by_role("button", name="Accept").first.click()
    expect(lena.locator(".flash")).to_be_visible()
    shoot(lena, tmp_path, "07-lena-meetings")

    phone.goto(f"{live_server}/c/{slug}/agenda")
    expect(phone.locator("main")).to_contain_text("Lena Schneider")
    shoot(phone, tmp_path, "08-agenda-with-meeting")
    assert fits(phone)
    lena_context.close()


@pytest.mark.parametrize("phone", ["dark"], indirect=True)
def test_answering_from_a_person_page_and_searching_without_accents_in_dark_mode(
    live_server, phone, demo, tmp_path
):
    slug = demo.conference.slug
    log_in(phone, live_server, LOTTE)
    phone.goto(f"{live_server}/c/{slug}/introductions")
    expect(phone.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
    shoot(phone, tmp_path, "11-dark-introductions")
    assert fits(phone)
    phone.locator("main li").filter(has_text="Sem Mulder").first.get_by_role(
        "link", name="Sem Mulder"
    ).click()
    expect(phone.locator("main")).to_contain_text("asked to meet you")
    shoot(phone, tmp_path, "12-dark-person-asking")
    phone.get_by_role("button", name="Accept").click()
    expect(phone.locator(".flash")).to_contain_text("Sem")
    expect(phone.get_by_role("heading", name="Contact details")).to_be_visible()

    phone.goto(f"{live_server}/c/{slug}/people")
    phone.get_by_role("searchbox").fill("sorensen")
    phone.get_by_role("button", name="Search").click()
    expect(phone.locator("main")).to_contain_text("Sørensen")
    shoot(phone, tmp_path, "13-dark-directory-search")
    assert fits(phone)
