"""Notes on a phone: write shared notes, survive a conflict with a second person by merging,
keep a private note, and browse the history and the knowledge page (light and dark).
Screenshots go to the test's tmp_path and to /tmp/shots-notes/."""

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from screens import fits, log_in, take_shot
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import ItemKind, ItemLink, PublishedItem

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-notes")
PHONE = {"width": 390, "height": 844}

shoot = partial(take_shot, shots=SHOTS)


def a_talk(demo) -> PublishedItem:
    talk = db.session.scalar(
        select(PublishedItem)
        .filter_by(conference_id=demo.conference.id, kind=ItemKind.TALK, cancelled=False)
        .order_by(PublishedItem.starts_at, PublishedItem.item_id)
    )
    db.session.add(
        ItemLink(item_id=talk.item_id, label="Slides (PDF)", url="https://example.org/s.pdf")
    )
    db.session.commit()
    return talk


FIRST = """# Take-home messages

- **SGLT2 inhibitors** for every patient with HFrEF
- Start low, go slow

| Drug | Dose |
|------|-----:|
| Dapagliflozin | 10 mg |

Guideline: [ESC 2023](https://www.escardio.org/)"""


def test_write_conflict_merge_and_private_note(live_server, phone: Page, browser, demo, tmp_path):
    talk = a_talk(demo)
    ada, bob = [login for login in demo.logins if login.role == "attendee"][:2]
    notes = f"{live_server}/c/{demo.conference.slug}/sessions/{talk.item_id}/notes"

    log_in(phone, live_server, ada.email, ada.password)
    phone.goto(notes)
    expect(phone.get_by_text("Nobody has written anything yet")).to_be_visible()
    phone.get_by_role("link", name="Start the notes").click()
    phone.get_by_label("Shared notes", exact=True).fill(FIRST)
    phone.get_by_role("button", name="Preview").click()
    expect(phone.get_by_role("heading", name="Preview")).to_be_visible()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved. Thank you for sharing.")).to_be_visible()
    note = phone.locator("#note")
    expect(note.get_by_role("heading", name="Take-home messages")).to_be_visible()
    expect(note.locator("strong", has_text="SGLT2 inhibitors")).to_be_visible()
    expect(note.get_by_role("cell", name="10 mg")).to_be_visible()
    assert fits(phone)
    shoot(phone, tmp_path, "1-shared-note")

    # Bob opens the editor on revision 1; Ada saves revision 2 before he is done.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    other = context.new_page()
    log_in(other, live_server, bob.email, bob.password)
    other.goto(notes + "?edit=1")
    other.get_by_label("Shared notes", exact=True).fill(FIRST + "\n- Bob: check potassium")
    phone.get_by_role("link", name="Edit the notes").click()
    phone.get_by_label("Shared notes", exact=True).fill(FIRST + "\n- Ada: mind the kidneys")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Revision 2")).to_be_visible()

    other.get_by_role("button", name="Save").click()
    expect(other.get_by_role("alert")).to_contain_text("Not saved yet")
    expect(other.get_by_role("heading", name="What differs")).to_be_visible()
    expect(other.locator(".d-add")).to_contain_text("Bob: check potassium")
    expect(other.locator(".d-del")).to_contain_text("Ada: mind the kidneys")
    theirs = other.get_by_label("The saved version (read only)").input_value()
    assert theirs.endswith("- Ada: mind the kidneys")
    assert fits(other)
    shoot(other, tmp_path, "2-conflict")
    other.get_by_label("Your version (not saved yet)").fill(theirs + "\n- Bob: check potassium")
    other.get_by_role("button", name="Save").click()
    expect(other.get_by_text("Saved. Thank you for sharing.")).to_be_visible()
    expect(other.locator("#note")).to_contain_text("Ada: mind the kidneys")
    expect(other.locator("#note")).to_contain_text("Bob: check potassium")
    shoot(other, tmp_path, "3-merged")
    context.close()

    phone.get_by_role("link", name="History").first.click()
    expect(phone.get_by_text("Revision 3", exact=True)).to_be_visible()
    assert fits(phone)
    shoot(phone, tmp_path, "4-history")
    phone.get_by_role("link", name="What changed in revision 3").click()
    expect(phone.locator(".d-add")).to_contain_text("Bob: check potassium")
    shoot(phone, tmp_path, "5-diff")

    phone.get_by_role("link", name="My note", exact=True).click()
    expect(phone.get_by_text("Only you can see this note")).to_be_visible()
    phone.get_by_label("My private note", exact=True).fill(
        "Ask Dr. Vermeulen about the *registry* data."
    )
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved. Only you can see this note.")).to_be_visible()
    expect(phone.get_by_label("My private note", exact=True)).to_have_value(
        "Ask Dr. Vermeulen about the *registry* data."
    )
    shoot(phone, tmp_path, "6-private-note")


@pytest.mark.parametrize("phone", ["dark"], indirect=True)
def test_knowledge_page_and_notes_in_dark_mode(live_server, phone: Page, demo, tmp_path):
    talk = a_talk(demo)
    ada = [login for login in demo.logins if login.role == "attendee"][0]
    slug = demo.conference.slug
    log_in(phone, live_server, ada.email, ada.password)
    phone.goto(f"{live_server}/c/{slug}/sessions/{talk.item_id}/notes?edit=1")
    phone.get_by_label("Shared notes", exact=True).fill(
        FIRST + "\n\n```\nLVEF < 40 %\n```\n\n> A quote"
    )
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#note code")).to_contain_text("LVEF < 40 %")
    assert fits(phone)
    shoot(phone, tmp_path, "7-dark-note")

    phone.goto(f"{live_server}/c/{slug}/knowledge")
    expect(phone.get_by_role("heading", name="Knowledge")).to_be_visible()
    expect(phone.get_by_role("heading", name="Sessions you attended")).to_be_visible()
    phone.get_by_label("Search sessions and notes").fill("dapagliflozin")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_role("status")).to_contain_text("1 session matches")
    expect(phone.get_by_role("link", name=talk.title)).to_be_visible()
    assert fits(phone)
    shoot(phone, tmp_path, "8-knowledge-search")
    phone.goto(f"{live_server}/c/{slug}/knowledge")
    shoot(phone, tmp_path, "9-knowledge", full_page=False)
    phone.goto(f"{live_server}/c/{slug}/my-notes")
    expect(phone.get_by_role("heading", name="My notes", exact=True)).to_be_visible()
    assert fits(phone)
    shoot(phone, tmp_path, "10-my-notes-dark")
