"""An attendee on a phone: join the demo conference, browse the programme, star a session and
find it in "My agenda". Screenshots go to the test's tmp_path and to /tmp/shots-schedule/."""

import re
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from screens import fits as fits_the_screen
from screens import take_shot
from sqlalchemy import delete, select

from confnet.database import write_intent
from confnet.demo import seed_demo
from confnet.extensions import db
from confnet.models import Membership, User
from confnet.releases.services import publish_schedule

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-schedule")
SCHEDULE = "/c/medconnect-2027/schedule"

shoot = partial(take_shot, shots=SHOTS)


@pytest.fixture
def demo(app):
    """The published demo, with its first attendee login not yet a member (the demo joins all
    attendees; this one joins through the page like a newcomer would)."""
    with write_intent():
        result = seed_demo()
        publish_schedule(result.conference, by=None, confirm_conflicts=True)
        email = next(login.email for login in result.logins if login.role == "attendee")
        user = db.session.scalar(select(User).filter_by(email=email))
        db.session.execute(delete(Membership).filter_by(user_id=user.id))
        db.session.commit()
    return result


def log_in_and_join(page: Page, live_server: str, demo) -> None:
    attendee = next(login for login in demo.logins if login.role == "attendee")
    page.goto(live_server + "/log-in")
    page.get_by_label("Email").fill(attendee.email)
    page.get_by_label("Password").fill(attendee.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()
    page.goto(live_server + "/c/medconnect-2027/")
    page.get_by_role("button", name="Join this conference").click()
    expect(page.get_by_text("You're an attendee")).to_be_visible()


def test_an_attendee_builds_an_agenda_on_a_phone(live_server, phone: Page, demo, tmp_path):
    phone.emulate_media(reduced_motion="reduce")  # screenshots without half-faded messages
    log_in_and_join(phone, live_server, demo)

    phone.goto(live_server + SCHEDULE)
    expect(phone.get_by_role("heading", name="Friday 26 March")).to_be_visible()
    expect(phone.get_by_role("heading", name="09:00 CET").first).to_be_visible()
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "1-schedule-friday.png")

    days = phone.get_by_role("navigation", name="Days")
    days.get_by_role("link", name=re.compile("Sun 28 Mar")).click()
    expect(phone.get_by_role("heading", name="Sunday 28 March")).to_be_visible()
    expect(phone.get_by_role("heading", name=re.compile("CEST")).first).to_be_visible()
    days.get_by_role("link", name=re.compile("Sat 27 Mar")).click()
    expect(phone.get_by_role("heading", name="Saturday 27 March")).to_be_visible()

    phone.get_by_text("Track, kind, room").click()
    phone.get_by_label("Track").select_option(label="Oncology")
    shoot(phone, tmp_path, "2-filters-open.png")
    phone.get_by_role("button", name="Apply filters").click()
    expect(phone.get_by_text(re.compile(r"\d+ sessions match"))).to_be_visible()
    listed = phone.locator(".day .sl > li")
    assert listed.count() >= 3
    for text in listed.all_inner_texts():
        assert "Oncology" in text
    expect(phone.get_by_role("heading", name="Saturday 27 March")).to_be_visible()
    shoot(phone, tmp_path, "3-oncology-saturday.png")

    phone.get_by_role("searchbox", name="Search").fill("exercise")
    phone.get_by_role("button", name="Search", exact=True).click()
    expect(phone.get_by_text("1 session matches “exercise”")).to_be_visible()
    shoot(phone, tmp_path, "4-search.png")

    phone.get_by_role("link", name="Exercise as medicine during chemotherapy").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Exercise as medicine during chemotherapy"
    )
    expect(phone.get_by_text("Sat 27 Mar, 15:00–15:45 CET")).to_be_visible()
    session_url = phone.url
    star = phone.get_by_role("button", name="Star", exact=True)
    box = star.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    shoot(phone, tmp_path, "5-session.png")

    with phone.expect_response(re.compile(r"/star$")) as answer:
        star.click()
    assert answer.value.status == 200 and answer.value.json()["starred"] is True
    starred = phone.get_by_role("button", name="Starred", exact=True)
    expect(starred).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#star-status")).to_have_text("Added to your agenda.")
    assert phone.url == session_url  # no page load: the star was sent by schedule.js
    shoot(phone, tmp_path, "6-starred.png")
    assert fits_the_screen(phone)

    phone.get_by_role("navigation", name="Programme pages").get_by_role(
        "link", name="My agenda"
    ).click()
    expect(phone.get_by_role("heading", name="My agenda")).to_be_visible()
    expect(phone.get_by_text("1 starred session.", exact=False)).to_be_visible()
    expect(
        phone.get_by_role("link", name="Exercise as medicine during chemotherapy")
    ).to_be_visible()
    expect(phone.get_by_role("heading", name="Saturday 27 March")).to_be_visible()
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "7-agenda.png")


def test_a_failed_star_reverts_with_a_message(browser, live_server, demo, tmp_path):
    # Its own context: the browser rightly logs the failed request, which `phone` forbids.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in_and_join(page, live_server, demo)
    page.goto(live_server + SCHEDULE)
    first = page.locator(".day button[aria-pressed]").first
    expect(first).to_have_text("Star")
    page.route(re.compile(r".*/star$"), lambda route: route.abort())
    first.click()
    expect(page.locator("#star-status")).to_contain_text("Couldn't update your agenda")
    expect(first).to_have_text("Star")
    expect(first).to_have_attribute("aria-pressed", "false")
    shoot(page, tmp_path, "failed-star.png")
    context.close()


@pytest.mark.parametrize("phone", ["dark"], indirect=True)
def test_the_schedule_in_dark_mode_with_clashes(live_server, phone: Page, demo, tmp_path):
    log_in_and_join(phone, live_server, demo)
    phone.goto(live_server + SCHEDULE)
    # Two overlapping sessions on Friday morning, starred without a page load each.
    for title in ["Managing immunotherapy toxicities", "Feedback that residents actually use"]:
        row = phone.locator(".day .sl > li", has_text=title)
        row.get_by_role("button", name="Star", exact=True).click()
        expect(row.get_by_role("button", name="Starred", exact=True)).to_be_visible()
    shoot(phone, tmp_path, "dark-1-schedule.png")
    phone.get_by_role("link", name="My agenda").click()
    expect(phone.get_by_text("Clashes with").first).to_be_visible()
    assert fits_the_screen(phone)
    shoot(phone, tmp_path, "dark-2-agenda.png")
    phone.get_by_role("link", name="What changed").click()
    expect(phone.get_by_role("heading", name="Release 1")).to_be_visible()
    shoot(phone, tmp_path, "dark-3-changes.png")
    phone.goto(live_server + SCHEDULE + "/timezone")
    shoot(phone, tmp_path, "dark-4-timezone.png")


def test_starring_works_without_javascript_at_360px(browser, live_server, demo, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    log_in_and_join(page, live_server, demo)
    page.goto(live_server + SCHEDULE + "?day=2027-03-27")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    row = page.locator(".day .sl > li", has_text="Sepsis in the emergency department")
    row.get_by_role("button", name="Star", exact=True).click()
    expect(page).to_have_url(re.compile(r"/schedule\?day=2027-03-27#s\d+$"))
    expect(row.get_by_role("button", name="Starred", exact=True)).to_be_visible()
    shoot(page, tmp_path, "nojs-360-starred.png")
    page.goto(live_server + "/c/medconnect-2027/agenda")
    expect(
        page.get_by_role("link", name="Sepsis in the emergency department: the first hour")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_device_timezone_is_offered_but_never_applied_by_itself(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(live_server + SCHEDULE + "?day=2027-03-27")
    page.get_by_role("link", name="Change timezone").click()
    picker = page.get_by_label("Timezone")
    expect(picker).to_have_value("Asia/Tokyo")
    expect(page.get_by_text("Your device's timezone (Asia/Tokyo) is selected")).to_be_visible()
    assert "tz=" not in page.url  # offered, not submitted
    page.get_by_role("button", name="Show the programme").click()
    expect(page).to_have_url(re.compile(r"day=2027-03-27.*tz=Asia%2FTokyo|tz=Asia%2FTokyo.*day="))
    expect(page.get_by_role("heading", name=re.compile(r"^17:00 JST")).first).to_be_visible()
    context.close()
