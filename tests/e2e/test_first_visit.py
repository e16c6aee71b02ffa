"""A newcomer on a phone: sign up, log in, join the demo conference, open its home page."""

import re

import pytest
from playwright.sync_api import Page, expect
from screens import fits as fits_the_screen

from confnet.database import write_intent
from confnet.demo import seed_demo
from confnet.extensions import db

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(app):
    with write_intent():
        result = seed_demo()
        db.session.commit()
    return result


def test_sign_up_log_in_and_join_the_demo_conference(live_server, phone: Page, demo, tmp_path):
    phone.goto(live_server + "/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Your conference")
    phone.screenshot(path=tmp_path / "1-welcome.png", full_page=True)
    assert fits_the_screen(phone)

    phone.get_by_role("link", name="Create an account").click()
    phone.get_by_label("Full name").fill("Dr. Lena Vogel")
    phone.get_by_label("Email").fill("lena.vogel@example.org")
    phone.get_by_label("Password", exact=True).fill("stethoscope-42")
    phone.get_by_label("Repeat password").fill("stethoscope-42")
    phone.screenshot(path=tmp_path / "2-sign-up.png", full_page=True)
    phone.get_by_role("button", name="Create account").click()

    expect(phone.get_by_text("Your account is ready")).to_be_visible()
    expect(phone.get_by_label("Email")).to_have_value("lena.vogel@example.org")
    phone.get_by_label("Password").fill("stethoscope-42")
    phone.get_by_role("button", name="Log in").click()
    expect(phone.get_by_role("heading", name="Hello, Lena")).to_be_visible()
    phone.screenshot(path=tmp_path / "3-home.png", full_page=True)

    # The bottom tab bar is within thumb reach and leads to the conferences.
    tabbar = phone.get_by_role("navigation", name="Main (bottom)")
    box = tabbar.bounding_box()
    assert box and box["y"] + box["height"] == pytest.approx(844, abs=1)
    tabbar.get_by_role("link", name="Conferences").click()
    phone.get_by_role("link", name=re.compile(demo.conference.name)).first.click()

    phone.get_by_role("button", name="Join this conference").click()
    expect(phone.get_by_text(f"Welcome to {demo.conference.name}!")).to_be_visible()
    expect(phone.get_by_text("You're an attendee")).to_be_visible()
    expect(phone.get_by_role("heading", name="Programme at a glance")).to_be_visible()
    phone.screenshot(path=tmp_path / "4-conference.png", full_page=True)
    assert fits_the_screen(phone)

    # Back home, the joined conference is listed as hers.
    tabbar.get_by_role("link", name="Home").click()
    expect(phone.get_by_role("region", name="Your conferences")).to_contain_text(
        demo.conference.name
    )


@pytest.mark.parametrize("phone", ["dark"], indirect=True)
def test_pages_fit_a_phone_in_dark_mode(live_server, phone, tmp_path):
    for path in ["/log-in", "/sign-up", "/password-resets", "/conferences"]:
        phone.goto(live_server + path)
        assert fits_the_screen(phone), path
    phone.screenshot(path=tmp_path / "dark-conferences.png", full_page=True)


def test_a_missing_page_is_a_friendly_404_in_the_layout(browser, live_server, tmp_path):
    # Its own context: the browser rightly logs the 404 to the console, which `phone` forbids.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    response = page.goto(live_server + "/c/no-such-conference/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn't find that page")
    expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()
    page.screenshot(path=tmp_path / "404.png", full_page=True)
    context.close()


def test_everything_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/log-in")
    page.get_by_label("Email").fill(demo.logins[-1].email)
    page.get_by_label("Password").fill(demo.logins[-1].password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
