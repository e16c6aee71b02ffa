"""Your data and the audit log on a phone: an attendee finds her downloads and deletes her
account; an organizer reads what organizers did."""

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from screens import fits, log_in, take_shot
from sqlalchemy import select

from confnet.audit.services import record_action
from confnet.database import write_intent
from confnet.extensions import db
from confnet.models import AuditAction, User

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-privacy")

shoot = partial(take_shot, shots=SHOTS)


def login_of(demo, role: str):
    return next(entry for entry in demo.logins if entry.role == role)


def test_download_then_delete_an_account(live_server, phone: Page, demo, tmp_path):
    attendee = login_of(demo, "attendee")
    log_in(phone, live_server, attendee.email, attendee.password)
    phone.goto(f"{live_server}/account/profile")
    phone.get_by_role("link", name="Your data").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your data")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download all (zip)").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert fits(phone)
    shoot(phone, tmp_path, "1-your-data")

    phone.get_by_label("Your password").fill(attendee.password)
    phone.get_by_label("I understand").check()
    phone.get_by_role("button", name="Delete my account").click()
    expect(phone.get_by_text("Your account is deleted")).to_be_visible()
    shoot(phone, tmp_path, "2-deleted")
    assert db.session.scalar(select(User).filter_by(email=attendee.email)) is None


def test_an_organizer_reads_the_audit_log(live_server, phone: Page, demo, tmp_path):
    organizer = db.session.scalar(select(User).filter_by(email=login_of(demo, "organizer").email))
    attendee = db.session.scalar(select(User).filter_by(email=login_of(demo, "attendee").email))
    with write_intent():
        record_action(
            AuditAction.SEAT_MOVED,
            conference_id=demo.conference.id,
            actor=organizer,
            subject_id=attendee.id,
            details="“Point-of-care ultrasound”: from place 2 on the waitlist to a confirmed seat.",
        )
        db.session.commit()
    log_in(phone, live_server, organizer.email, login_of(demo, "organizer").password)
    phone.goto(f"{live_server}/c/{demo.conference.slug}/")
    phone.get_by_role("link", name="Audit log").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(phone.get_by_text("gave a seat from the waitlist to")).to_be_visible()
    assert fits(phone)
    shoot(phone, tmp_path, "3-audit-log")
