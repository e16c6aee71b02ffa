"""Offline-first on a phone (Chromium, 390x844): the conference opened once keeps working in the
browser's offline mode, stars and a private note made offline reach the server when the network
returns, a new release replaces the saved pages, logging out leaves nothing personal behind,
and the app is installable. Screenshots go to the test's tmp_path and to /tmp/shots-offline/."""

import re
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from screens import fits, log_in, take_shot
from sqlalchemy import select

from confnet.database import utcnow, write_intent
from confnet.demo import publish_demo, seed_demo
from confnet.extensions import db
from confnet.models import ItemKind, PrivateNote, PublishedItem, ScheduleItem, Seat, Star, User
from confnet.notes.private import save_private_note
from confnet.releases.services import publish_schedule

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-offline")
PHONE = {"width": 390, "height": 844}
SAVED = re.compile(r"^Offline — saved \d\d:\d\d")

shoot = partial(take_shot, shots=SHOTS)


@pytest.fixture
def demo(app):
    # Every page asks for the version, and a new one is fetched at once: no waiting.
    app.config.update(OFFLINE_CHECK_SECONDS=0, OFFLINE_SPREAD_SECONDS=0)
    with write_intent():
        result = seed_demo()
        publish_demo(result)
        db.session.commit()
    yield result
    app.config.pop("OFFLINE_CHECK_SECONDS")
    app.config.pop("OFFLINE_SPREAD_SECONDS")


def attendee_of(demo):
    login = next(login for login in demo.logins if login.role == "attendee")
    return login, db.session.scalar(select(User).filter_by(email=login.email))


def kept(page: Page) -> None:
    """Wait until the service worker has saved the open conference on this phone."""
    expect(page.locator("#offline-status")).to_have_attribute(
        "data-offline-ready", re.compile(r"^\d+$"), timeout=60_000
    )


def page_caches(page: Page) -> list[str]:
    """The names of the copies of conference pages this phone keeps."""
    return [name for name in page.evaluate("caches.keys()") if name.startswith("confnet-pages|")]


def status(page: Page):
    return page.locator("#offline-status")


def published(demo, **filters) -> list[PublishedItem]:
    query = select(PublishedItem).filter_by(conference_id=demo.conference.id, **filters)
    return list(db.session.scalars(query.order_by(PublishedItem.starts_at, PublishedItem.item_id)))


def test_read_star_and_take_notes_offline_then_sync(live_server, phone: Page, demo, tmp_path):
    phone.emulate_media(reduced_motion="reduce")
    context: BrowserContext = phone.context
    login, user = attendee_of(demo)
    slug = demo.conference.slug
    base = f"{live_server}/c/{slug}"
    starred = set(db.session.scalars(select(Star.item_id).filter_by(user_id=user.id)))
    seats = set(db.session.scalars(select(Seat.item_id).filter_by(user_id=user.id)))
    talk = next(
        i for i in published(demo, kind=ItemKind.TALK, cancelled=False) if i.item_id not in starred
    )
    noted = next(i for i in published(demo, cancelled=False) if i.item_id in starred)
    workshop = next(
        i for i in published(demo, signup_required=True) if i.item_id not in seats | starred
    )

    log_in(phone, live_server, login.email, login.password)
    phone.goto(f"{base}/schedule")
    kept(phone)

    context.set_offline(True)
    phone.goto(f"{base}/schedule")
    expect(phone.get_by_role("heading", name="Programme", level=1)).to_be_visible()
    expect(status(phone)).to_have_text(SAVED)
    assert fits(phone)
    shoot(phone, tmp_path, "1-schedule-offline")

    phone.goto(f"{base}/agenda")
    expect(phone.get_by_role("heading", name="My agenda")).to_be_visible()
    expect(phone.get_by_role("link", name=noted.title).first).to_be_visible()
    expect(status(phone)).to_have_text(SAVED)

    phone.goto(f"{base}/sessions/{talk.item_id}")
    expect(phone.get_by_role("heading", name=talk.title, level=1)).to_be_visible()
    phone.get_by_role("button", name="Star", exact=True).click()
    expect(phone.locator("#star-status")).to_contain_text("starred on this phone")
    expect(phone.get_by_role("button", name="Starred")).to_have_attribute("aria-pressed", "true")
    expect(status(phone)).to_contain_text("1 change waiting to be sent")
    shoot(phone, tmp_path, "2-session-starred-offline", full_page=False)

    phone.goto(f"{base}/sessions/{workshop.item_id}")
    panel = phone.get_by_role("region", name="Sign-up")
    panel.locator("form button[type=submit]").click()
    expect(panel.get_by_role("alert")).to_have_text(
        re.compile("You're offline — this needs a connection")
    )
    shoot(phone, tmp_path, "3-signup-needs-a-connection")

    phone.goto(f"{base}/sessions/{noted.item_id}/my-note")
    text = "Offline: ask about the trial's follow-up at 12 months."
    phone.get_by_label("My private note").fill(text)
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved on this phone at")).to_be_visible()
    expect(status(phone)).to_contain_text("2 changes waiting to be sent")
    shoot(phone, tmp_path, "4-note-kept-offline")
    phone.reload()  # the draft survives a reload while offline
    expect(phone.get_by_label("My private note")).to_have_value(text)
    expect(phone.get_by_text("Not sent yet: saved on this phone")).to_be_visible()

    phone.goto(f"{live_server}/c/{slug}/people")  # never opened: said plainly
    expect(phone.get_by_role("heading", name="This page isn't saved on this phone")).to_be_visible()

    phone.goto(f"{base}/sessions/{noted.item_id}/my-note")
    context.set_offline(False)
    expect(status(phone)).to_contain_text("2 changes sent.", timeout=20_000)
    expect(phone.get_by_label("My private note")).to_have_value(text)
    assert not phone.get_by_text("Not sent yet").is_visible()
    shoot(phone, tmp_path, "5-changes-sent")

    db.session.rollback()  # a new transaction sees what the server committed
    assert db.session.get(Star, (user.id, talk.item_id)) is not None
    note = db.session.scalar(select(PrivateNote).filter_by(user_id=user.id, item_id=noted.item_id))
    assert note is not None and note.body == text

    # The saved agenda follows: offline again, the new star is in it.
    phone.goto(f"{base}/schedule")
    kept(phone)
    context.set_offline(True)
    phone.goto(f"{base}/agenda")
    expect(phone.get_by_role("link", name=talk.title).first).to_be_visible()
    context.set_offline(False)


def test_a_note_changed_elsewhere_while_offline_is_merged(live_server, browser, demo, tmp_path):
    # Its own phone: the merge screen answers 409, which Chromium reports in the console.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    problems = []
    phone.on(
        "console", lambda m: m.type == "error" and "409" not in m.text and problems.append(m.text)
    )
    login, user = attendee_of(demo)
    slug = demo.conference.slug
    starred = set(db.session.scalars(select(Star.item_id).filter_by(user_id=user.id)))
    noted = next(i for i in published(demo, cancelled=False) if i.item_id in starred)
    page_url = f"{live_server}/c/{slug}/sessions/{noted.item_id}/my-note"
    log_in(phone, live_server, login.email, login.password)
    phone.goto(page_url)
    kept(phone)

    phone.context.set_offline(True)
    phone.reload()
    phone.get_by_label("My private note").fill("Written on the phone")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved on this phone at")).to_be_visible()

    with write_intent():  # meanwhile, on the laptop
        save_private_note(
            user, demo.conference, noted, "Written on the laptop", version=0, now=utcnow()
        )
        db.session.commit()

    phone.context.set_offline(False)
    expect(status(phone)).to_contain_text("changed on another device", timeout=20_000)
    phone.get_by_role("button", name="Compare the two versions").click()
    expect(
        phone.get_by_role("heading", name="Not saved yet: the note changed while you were editing")
    ).to_be_visible()
    expect(phone.get_by_label("The saved version (read only)")).to_have_value(
        "Written on the laptop"
    )
    expect(phone.get_by_label("Your version (not saved yet)")).to_have_value("Written on the phone")
    assert fits(phone)
    shoot(phone, tmp_path, "6-merge-after-offline")
    db.session.rollback()  # a new transaction sees what the server committed
    saved = select(PrivateNote.body).filter_by(user_id=user.id, item_id=noted.item_id)
    assert db.session.scalar(saved) == "Written on the laptop"
    context.close()
    assert problems == []


def test_a_note_the_server_refuses_is_said_and_its_text_kept(live_server, phone: Page, demo):
    login, user = attendee_of(demo)
    slug = demo.conference.slug
    starred = set(db.session.scalars(select(Star.item_id).filter_by(user_id=user.id)))
    noted = next(i for i in published(demo, cancelled=False) if i.item_id in starred)
    log_in(phone, live_server, login.email, login.password)
    phone.goto(f"{live_server}/c/{slug}/sessions/{noted.item_id}/my-note")
    kept(phone)
    phone.context.set_offline(True)
    phone.reload()
    phone.get_by_label("My private note").fill("Questions for the speaker")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved on this phone at")).to_be_visible()
    with write_intent():  # meanwhile the session is cancelled
        db.session.get(ScheduleItem, noted.item_id).cancelled = True
        publish_schedule(demo.conference, by=None, confirm_conflicts=True)
        db.session.commit()

    phone.context.set_offline(False)
    expect(status(phone)).to_contain_text(f"Not sent: “{noted.title}” is cancelled", timeout=20_000)
    status(phone).get_by_text("Your text").click()
    expect(status(phone)).to_contain_text("Questions for the speaker")
    assert fits(phone)
    db.session.rollback()  # a new transaction sees what the server committed
    assert db.session.scalar(select(PrivateNote).filter_by(user_id=user.id)) is None


def test_a_new_release_replaces_the_saved_pages(live_server, phone: Page, demo, tmp_path):
    login, _ = attendee_of(demo)
    slug = demo.conference.slug
    talk = published(demo, kind=ItemKind.TALK, cancelled=False)[0]
    log_in(phone, live_server, login.email, login.password)
    phone.goto(f"{live_server}/c/{slug}/schedule")
    kept(phone)
    (first,) = page_caches(phone)
    assert "|r1-" in first

    renamed = "Clinical AI after the hype, revisited"
    with write_intent():
        db.session.get(ScheduleItem, talk.item_id).title = renamed
        publish_schedule(demo.conference, by=None, confirm_conflicts=True)
        db.session.commit()

    phone.goto(f"{live_server}/c/{slug}/schedule")  # the phone notices the new version
    expect(status(phone)).to_have_attribute(
        "data-offline-version", re.compile("^r2-"), timeout=60_000
    )
    (second,) = page_caches(phone)  # the release 1 copy is gone
    assert "|r2-" in second

    phone.context.set_offline(True)
    phone.goto(f"{live_server}/c/{slug}/sessions/{talk.item_id}")
    expect(phone.get_by_role("heading", name=renamed, level=1)).to_be_visible()
    phone.goto(f"{live_server}/c/{slug}/schedule?day={demo.conference.starts_on.isoformat()}")
    expect(phone.get_by_role("link", name=renamed).first).to_be_visible()
    expect(status(phone)).to_have_text(SAVED)
    shoot(phone, tmp_path, "7-new-release-offline")
    phone.context.set_offline(False)


def saved_on_phone(page: Page, path: str) -> None:
    """Wait until the phone keeps ``path`` (caches are read asynchronously: each poll starts a
    read and looks at the last one)."""
    page.wait_for_function(
        """(path) => {
             caches.match(path).then((hit) => (window.confnetKept = Boolean(hit)));
             return window.confnetKept === true;
           }""",
        arg=path,
        timeout=30_000,
    )


def test_a_big_programme_keeps_the_sessions_opened(
    live_server, phone: Page, demo, app, monkeypatch
):
    monkeypatch.setitem(app.config, "OFFLINE_ALL_SESSIONS_MAX", 0)  # "big": only one's own
    login, user = attendee_of(demo)
    slug = demo.conference.slug
    starred = set(db.session.scalars(select(Star.item_id).filter_by(user_id=user.id)))
    opened, other = [
        i for i in published(demo, kind=ItemKind.TALK, cancelled=False) if i.item_id not in starred
    ][:2]
    log_in(phone, live_server, login.email, login.password)
    phone.goto(f"{live_server}/c/{slug}/schedule")
    kept(phone)
    assert (
        phone.evaluate(
            "(p) => caches.match(p).then(Boolean)", f"/c/{slug}/sessions/{other.item_id}"
        )
        is False
    )
    phone.goto(f"{live_server}/c/{slug}/sessions/{opened.item_id}")
    phone.goto(f"{live_server}/c/{slug}/agenda")  # the next check keeps the session page
    saved_on_phone(phone, f"/c/{slug}/sessions/{opened.item_id}")

    phone.context.set_offline(True)
    phone.goto(f"{live_server}/c/{slug}/sessions/{opened.item_id}")
    expect(phone.get_by_role("heading", name=opened.title, level=1)).to_be_visible()
    expect(status(phone)).to_have_text(SAVED)
    phone.goto(f"{live_server}/c/{slug}/sessions/{other.item_id}")
    expect(phone.get_by_role("heading", name="This page isn't saved on this phone")).to_be_visible()
    phone.context.set_offline(False)


def test_logging_out_leaves_nothing_personal_on_the_phone(live_server, phone: Page, demo):
    login, _ = attendee_of(demo)
    slug = demo.conference.slug
    log_in(phone, live_server, login.email, login.password)
    phone.goto(f"{live_server}/c/{slug}/agenda")
    kept(phone)
    assert len(page_caches(phone)) == 1

    phone.goto(f"{live_server}/log-out")
    phone.locator("main form").get_by_role("button", name=re.compile("Log out")).first.click()
    expect(phone.get_by_text("You are logged out.")).to_be_visible()
    # Caches are read asynchronously: each poll starts a read and looks at the last one.
    phone.wait_for_function(
        """() => {
             caches.keys().then((names) => (window.confnetCaches = names));
             const names = window.confnetCaches;
             return names !== undefined && !names.some(
               (n) => n.startsWith("confnet-pages|") && !n.includes("|anon|"));
           }"""
    )
    phone.context.set_offline(True)
    phone.goto(f"{live_server}/c/{slug}/agenda")
    expect(phone.get_by_role("heading", name="This page isn't saved on this phone")).to_be_visible()
    phone.context.set_offline(False)


def test_installable_with_its_manifest_and_icons(live_server, phone: Page, demo):
    slug = demo.conference.slug
    phone.goto(f"{live_server}/c/{slug}/schedule")
    kept(phone)
    href = phone.locator("link[rel=manifest]").get_attribute("href")
    manifest = phone.request.get(live_server + href).json()
    assert manifest["start_url"] == f"/c/{slug}/schedule" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        size = phone.evaluate(
            """async (src) => {
                 const image = new Image(); image.src = src; await image.decode();
                 return `${image.naturalWidth}x${image.naturalHeight}`;
               }""",
            icon["src"],
        )
        assert size == icon["sizes"]
    cdp = phone.context.new_cdp_session(phone)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Test browsers are incognito, where nothing installs; nothing else may stand in the way.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []
    assert phone.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")


def test_everything_still_works_without_javascript(live_server, browser, demo):
    login, user = attendee_of(demo)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    starred = set(db.session.scalars(select(Star.item_id).filter_by(user_id=user.id)))
    talk = next(
        i for i in published(demo, kind=ItemKind.TALK, cancelled=False) if i.item_id not in starred
    )
    log_in(page, live_server, login.email, login.password)
    page.goto(f"{live_server}/c/{demo.conference.slug}/sessions/{talk.item_id}")
    page.get_by_role("button", name="Star", exact=True).click()
    expect(page.get_by_text(f"Added “{talk.title}” to your agenda.")).to_be_visible()
    expect(page.locator("#offline-status")).to_be_hidden()
    context.close()
    db.session.rollback()  # a new transaction sees what the server committed
    assert db.session.get(Star, (user.id, talk.item_id)) is not None
