"""Workshops on a phone: an attendee takes a seat, an organizer checks her in at the door."""

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from screens import log_in, take_shot
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import ScheduleItem, User
from confnet.workshops.services import clashing_seat, live_counts, seat_of

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-workshops")

shoot = partial(take_shot, shots=SHOTS)


def test_take_a_seat_and_get_checked_in(live_server, phone: Page, browser, demo, tmp_path):
    workshops = db.session.scalars(
        select(ScheduleItem).filter_by(signup_required=True).order_by(ScheduleItem.starts_at)
    ).all()
    attendee = demo.logins[-1]
    user = db.session.scalar(select(User).filter_by(email=attendee.email))
    item = next(  # a workshop with free seats where she has no place and no clash
        w
        for w in workshops
        if live_counts([w.id])[w.id][0] < w.capacity
        and seat_of(user, w) is None
        and clashing_seat(user.id, w) is None
    )

    log_in(phone, live_server, attendee.email, attendee.password)
    phone.goto(f"{live_server}/c/{demo.conference.slug}/sessions/{item.id}")
    panel = phone.get_by_role("region", name="Sign-up")
    expect(panel).to_contain_text("left")
    panel.get_by_role("button", name="Sign up").click()
    expect(phone.get_by_text(f"You have a seat in “{item.title}”.")).to_be_visible()
    expect(panel).to_contain_text("You have a seat.")
    shoot(phone, tmp_path, "1-seat-taken")
    phone.goto(f"{live_server}/c/{demo.conference.slug}/my-workshops")
    expect(phone.get_by_role("link", name=item.title)).to_be_visible()
    expect(phone.get_by_text("Seat confirmed").first).to_be_visible()
    shoot(phone, tmp_path, "2-my-workshops")

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    door = context.new_page()
    log_in(door, live_server, "organizer@confnet.test", "demo-organizer-2027")
    door.goto(f"{live_server}/c/{demo.conference.slug}/manage/workshops/{item.id}/door")
    name = user.name
    door.get_by_label("Find a person").fill(name.split()[0])
    door.get_by_role("button", name="Search").click()
    door.get_by_role("button", name=f"{name}").click()
    expect(door.get_by_role("button", name=f"{name}")).to_have_attribute("aria-pressed", "true")
    expect(door.get_by_text("Here ✓")).to_be_visible()
    shoot(door, tmp_path, "3-door-check-in")
    assert door.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
