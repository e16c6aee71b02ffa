"""The audit log: hiding or restoring a profile, dismissing a report, moving a seat and
restoring or hiding a note revision each leave an entry, written with the action itself; only
the conference's organizers and the site admins read the log."""

from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.audit import services as audit
from confnet.database import utcnow
from confnet.extensions import db
from confnet.mail import OutboxMailer
from confnet.models import (
    AuditAction,
    AuditEntry,
    ItemKind,
    PublishedItem,
    Report,
    Role,
)
from confnet.notes import services as notes
from confnet.privacy import services as privacy
from confnet.workshops import services as workshops
from confnet.workshops.notify import Notifier

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    conference = make.conference("cardio", name="Cardio 2027")
    boss = make.user(name="Olga Organizer")
    make.member(boss, conference, Role.ORGANIZER)
    ann, ben = make.user(name="Ann Attendee"), make.user(name="Ben Bakker")
    make.member(ann, conference)
    make.member(ben, conference)
    talk = make.item(conference, title="Heart failure update", starts_at=T0)
    lab = make.item(
        conference,
        title="Echo workshop",
        kind=ItemKind.WORKSHOP,
        capacity=1,
        signup_required=True,
        starts_at=T0 + timedelta(hours=2),
    )
    make.publish(conference)
    return {
        "conference": conference,
        "boss": boss,
        "ann": ann,
        "ben": ben,
        "talk": talk,
        "lab": lab,
    }


def entries() -> list[tuple]:
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.actor_id, e.subject_id, e.conference_id) for e in rows]


def report_about(world, subject) -> Report:
    report = Report(
        conference_id=world["conference"].id,
        reporter_id=world["ann"].id if subject is world["ben"] else world["ben"].id,
        subject_id=subject.id,
        reason="Rude messages",
    )
    db.session.add(report)
    db.session.flush()
    return report


def test_hiding_restoring_and_dismissing_leave_entries(world, client, login):
    boss, ben, cid = world["boss"], world["ben"], world["conference"].id
    first, second = report_about(world, ben), report_about(world, world["ann"])
    login(boss)
    token = csrf(client, "/c/cardio/introductions/reports")
    for path in (
        f"/c/cardio/introductions/reports/{first.id}/hide",
        f"/c/cardio/introductions/reports/{first.id}/restore",
        f"/c/cardio/introductions/reports/{second.id}/dismiss",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert entries() == [
        (AuditAction.PROFILE_HIDDEN, boss.id, ben.id, cid),
        (AuditAction.PROFILE_RESTORED, boss.id, ben.id, cid),
        (AuditAction.REPORT_DISMISSED, boss.id, world["ann"].id, cid),
    ]


def test_moving_a_seat_leaves_an_entry_and_a_refused_move_leaves_none(world, client, login):
    lab, boss, ben = world["lab"], world["boss"], world["ben"]
    for person in (world["ann"], ben):
        workshops.sign_up(person, lab, now=NOW, tz=world["conference"].tz)
    waiting = workshops.seat_of(ben, lab)
    login(boss)
    path = f"/c/cardio/manage/workshops/{lab.id}/seats/{waiting.id}/promote"
    token = csrf(client, f"/c/cardio/manage/workshops/{lab.id}")
    client.post(path, data={"csrf_token": token})  # no seat is free: refused
    assert entries() == []
    lab.capacity = 2
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        AuditAction.SEAT_MOVED,
        boss.id,
        ben.id,
    )
    assert entry.details == "“Echo workshop”: from place 1 on the waitlist to a confirmed seat."


def test_restoring_and_hiding_a_note_revision_leave_entries(world, client, login):
    talk = db.session.get(PublishedItem, world["talk"].id)
    ann, ben, boss = world["ann"], world["ben"], world["boss"]
    notes.save_shared_note(talk, ann, "Ann's text", base=0, now=utcnow())
    notes.save_shared_note(talk, ben, "Ben's vandalism", base=1, now=utcnow())
    login(boss)
    base = f"/c/cardio/sessions/{talk.item_id}/notes"
    token = csrf(client, "/account/data")  # any form of the session
    assert client.post(f"{base}/revisions/1/restore", data={"csrf_token": token}).status_code == 302
    assert client.post(f"{base}/revisions/2/hide", data={"csrf_token": token}).status_code == 302
    cid = world["conference"].id
    assert entries() == [
        (AuditAction.REVISION_RESTORED, boss.id, ann.id, cid),
        (AuditAction.REVISION_HIDDEN, boss.id, ben.id, cid),
    ]
    details = db.session.scalars(select(AuditEntry.details).order_by(AuditEntry.id)).all()
    assert details == [
        "Shared notes of “Heart failure update”: revision 1 is the current text again "
        "(as revision 3).",
        "Shared notes of “Heart failure update”: revision 2 is hidden.",
    ]


def test_only_the_conferences_organizers_and_site_admins_read_the_log(world, make, app, login):
    report = report_about(world, world["ben"])
    from confnet.introductions import reports

    reports.hide_profile(report, by=world["boss"], now=NOW)
    elsewhere = make.user()
    make.member(elsewhere, make.conference("other"), Role.ORGANIZER)
    speaker = make.user()
    make.member(speaker, world["conference"], Role.SPEAKER)
    admin = make.user(admin=True)
    assert app.test_client().get("/c/cardio/manage/audit-log").status_code == 302
    expected = [
        (world["ann"], 403),
        (speaker, 403),
        (elsewhere, 403),
        (world["boss"], 200),
        (admin, 200),
    ]
    for person, status in expected:
        client = app.test_client()
        client.post(
            "/log-in",
            data={
                "email": person.email,
                "password": make.PASSWORD,
                "csrf_token": csrf(client),
            },
        )
        response = client.get("/c/cardio/manage/audit-log")
        assert response.status_code == status, person
        home = client.get("/c/cardio/").get_data(as_text=True)
        assert ('href="/c/cardio/manage/audit-log"' in home) is (status == 200)
        if status == 200:
            page = response.get_data(as_text=True)
            assert "Olga Organizer</strong> hid the profile of <strong>Ben Bakker" in page


def test_the_log_pages_newest_first(world, client, login):
    boss, ann, cid = world["boss"], world["ann"], world["conference"].id
    for n in range(audit.PAGE_SIZE + 5):
        audit.record_action(
            AuditAction.SEAT_MOVED,
            conference_id=cid,
            actor=boss,
            subject_id=ann.id,
            details=f"Entry number {n:03}.",
        )
    login(boss)
    first = client.get("/c/cardio/manage/audit-log").get_data(as_text=True)
    assert first.index("Entry number 054.") < first.index("Entry number 053.")
    assert "Entry number 004." not in first and "Entry number 005." in first
    page = audit.log_page(world["conference"])
    assert len(page.rows) == audit.PAGE_SIZE and page.older is not None
    assert f"/c/cardio/manage/audit-log?before={page.older}" in first
    older = client.get(f"/c/cardio/manage/audit-log?before={page.older}").get_data(as_text=True)
    assert "Entry number 004." in older and "Entry number 005." not in older
    assert "Older entries" not in older
    for bad in ("0", "-3", "99999999999999999999"):
        assert client.get(f"/c/cardio/manage/audit-log?before={bad}").status_code == 404


def test_entries_outlive_the_accounts_they_name(world):
    report = report_about(world, world["ben"])
    from confnet.introductions import reports

    reports.hide_profile(report, by=world["boss"], now=NOW)
    notifier = Notifier(mailer=OutboxMailer(log_bodies=False), link=lambda item: "/")
    privacy.delete_account(world["ben"], "correct horse battery", now=NOW, notifier=notifier)
    [row] = audit.log_page(world["conference"]).rows
    assert (row.entry.action, row.actor_name, row.subject_name) == (
        AuditAction.PROFILE_HIDDEN,
        "Olga Organizer",
        None,
    )
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
