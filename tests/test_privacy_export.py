"""Downloading your data: every section of it as JSON and Markdown (or a zip of both), other
people only as far as the app shows them to you, and never the calendar feed's address."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import services as feeds
from confnet.models import (
    Block,
    Dismissal,
    IntroductionStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Message,
    Notification,
    Offer,
    PrivateNote,
    PublishedItem,
    Report,
    Role,
    Seek,
    Star,
)
from confnet.notes import services as notes
from confnet.privacy import services
from confnet.workshops import services as workshops

SECRET = "test-secret-key"
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    """Alice and the people around her; every marker says whose it is."""
    conference = make.conference("cardio", name="Cardio 2027")
    talk = make.item(conference, title="Heart failure update", starts_at=T0)
    workshop = make.item(
        conference,
        title="Echo workshop",
        kind=ItemKind.WORKSHOP,
        capacity=1,
        signup_required=True,
        starts_at=T0 + timedelta(hours=2),
        minutes=90,
    )
    alice = make.user("alice@example.org", "Alice Aalders")
    bob, carol = make.user(name="Bob Brink"), make.user(name="Carol Claes")
    dave, erin = make.user(name="Dave Dekker"), make.user(name="Erin Blockmaker")
    for person in (alice, bob, carol, dave, erin):
        make.member(person, conference)
    make.profile(
        alice,
        offers=(Offer.MENTORING,),
        seeks=(Seek.COLLABORATORS,),
        specialty="Cardiology",
        interests="heart failure, echo",
        bio="Bio-marker-A1\n# not a heading",
        contact_email="alice-contact@hospital.test",
        phone="+31 6 1234 5678",
        links="https://alice.example/orcid",
    )
    make.publish(conference)
    published = db.session.get(PublishedItem, talk.id)
    db.session.add(Star(user_id=alice.id, item_id=talk.id))
    for person in (bob, alice):  # Bob gets the seat, Alice the waitlist
        workshops.sign_up(person, workshop, now=NOW, tz=conference.tz)
    feed = feeds.turn_on_feed(alice, secret=SECRET, now=NOW)

    connection = make.introduction(conference, alice, bob, message="Intro-message-I1")
    db.session.add_all(
        [
            Message(introduction_id=connection.id, sender_id=alice.id, body="Thread-from-alice"),
            Message(introduction_id=connection.id, sender_id=bob.id, body="Thread-from-bob"),
        ]
    )
    # Carol introduced Alice and Dave; Dave said no (Alice must not read "declined").
    make.introduction(conference, alice, dave, status=IntroductionStatus.DECLINED, by=carol)
    # Alice introduced Bob and Carol; one of them said no (she must not learn who).
    make.introduction(conference, bob, carol, status=IntroductionStatus.DECLINED, by=alice)
    # Erin blocked Alice: their introduction ended, and Erin must leave no trace.
    ended = make.introduction(conference, alice, erin, status=IntroductionStatus.ENDED)
    db.session.add(Message(introduction_id=ended.id, sender_id=alice.id, body="Alice-to-erin"))
    db.session.add(Block(blocker_id=erin.id, blocked_id=alice.id))
    db.session.add(
        Meeting(
            conference_id=conference.id,
            introduction_id=connection.id,
            host_id=alice.id,
            guest_id=bob.id,
            starts_at=T0 + timedelta(hours=5),
            ends_at=T0 + timedelta(hours=5, minutes=30),
            place="Cafe Aorta",
            note="Meeting-note-M1",
            status=MeetingStatus.ACCEPTED,
            accepted_at=NOW,
        )
    )
    for owner, item_id, body in (
        (alice, talk.id, "Private-alice-P1"),
        (alice, None, "Private-free-P2"),
        (bob, talk.id, "Private-bob-P3"),
    ):
        db.session.add(
            PrivateNote(user_id=owner.id, conference_id=conference.id, item_id=item_id, body=body)
        )
    notes.save_shared_note(published, alice, "Shared-by-alice-S1", base=0, now=NOW)
    notes.save_shared_note(published, bob, "Shared-by-bob-S2", base=1, now=NOW)
    db.session.add_all(
        [
            Report(
                conference_id=conference.id,
                reporter_id=alice.id,
                subject_id=carol.id,
                reason="Alice-report-R1",
            ),
            Report(
                conference_id=conference.id,
                reporter_id=bob.id,
                subject_id=alice.id,
                reason="Bob-reported-alice-R2",
            ),
            Dismissal(user_id=alice.id, conference_id=conference.id, dismissed_id=carol.id),
            Notification(user_id=alice.id, text="Notice-for-alice-N1", url="/home"),
            Notification(user_id=bob.id, text="Notice-for-bob-N2", url="/home"),
        ]
    )
    db.session.flush()
    return {"alice": alice, "bob": bob, "feed": feed, "talk": talk, "workshop": workshop}


def everything(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False) + services.render_markdown(data)


def test_the_export_holds_every_section_of_the_persons_data(world):
    data = services.export_person_data(world["alice"], now=NOW)
    json.dumps(data)  # plain JSON values only
    assert (data["format"], data["version"], data["exported_at"]) == (
        "confnet personal data",
        1,
        "2027-03-20T12:00:00+00:00",
    )
    assert data["account"]["email"] == "alice@example.org"
    assert data["profile"]["offers"] == ["mentoring"]
    assert data["profile"]["seeks"] == ["collaborators"]
    assert data["profile"]["interests"] == ["heart failure", "echo"]
    assert data["profile"]["contact"] == {
        "email": "alice-contact@hospital.test",
        "phone": "+31 6 1234 5678",
        "links": ["https://alice.example/orcid"],
    }
    assert [m["conference"] for m in data["memberships"]] == ["cardio"]
    assert [c["slug"] for c in data["conferences"]] == ["cardio"]
    assert [s["title"] for s in data["agenda"]] == ["Heart failure update"]
    [seat] = data["workshops"]
    assert (seat["title"], seat["status"], seat["waitlist_place"]) == (
        "Echo workshop",
        "waitlisted",
        1,
    )
    assert data["calendar_feed"]["reminder_minutes"] is None
    assert {n["body"] for n in data["private_notes"]} == {"Private-alice-P1", "Private-free-P2"}
    assert [(r["revision"], r["body"]) for r in data["note_revisions"]] == [
        (1, "Shared-by-alice-S1")
    ]
    [meeting] = data["meetings"]
    assert (meeting["with"], meeting["place"], meeting["note"], meeting["status"]) == (
        "Bob Brink",
        "Cafe Aorta",
        "Meeting-note-M1",
        "accepted",
    )
    assert [r["reason"] for r in data["reports"]] == ["Alice-report-R1"]
    assert [d["name"] for d in data["dismissed_suggestions"]] == ["Carol Claes"]
    assert [n["text"] for n in data["notifications"]] == ["Notice-for-alice-N1"]


def test_introductions_carry_their_threads_and_read_as_the_person_may_know_them(world):
    data = services.export_person_data(world["alice"], now=NOW)
    by_status = {intro["status"]: intro for intro in data["introductions"]}
    assert set(by_status) == {"connected", "not available", "won't go ahead", "no longer open"}
    connected = by_status["connected"]
    assert (connected["with"], connected["message"]) == ("Bob Brink", "Intro-message-I1")
    assert [(m["sent_by_you"], m["body"]) for m in connected["messages"]] == [
        (True, "Thread-from-alice"),
        (False, "Thread-from-bob"),
    ]
    declined = by_status["not available"]  # Dave said no: Alice reads "not available"
    assert (declined["with"], declined["introduced_by"]) == ("Dave Dekker", "Carol Claes")
    made = by_status["won't go ahead"]  # who of the two said no is not hers to know
    assert made["role"] == "you introduced"
    assert made["people"] == ["Bob Brink", "Carol Claes"]
    assert set(made) == {"id", "conference", "role", "people", "status", "message", "created_at"}
    blocked = by_status["no longer open"]  # Erin blocked Alice: her own message stays
    assert blocked["with"] is None
    assert [m["body"] for m in blocked["messages"]] == ["Alice-to-erin"]


def test_nothing_of_other_people_beyond_what_the_app_shows(world):
    text = everything(services.export_person_data(world["alice"], now=NOW))
    for secret in (
        "Erin",  # a blocker is never named
        "Blockmaker",
        "Bob-reported-alice-R2",  # reports about you would name the reporter
        "Private-bob-P3",
        "Shared-by-bob-S2",
        "Notice-for-bob-N2",
        "declined",
    ):
        assert secret not in text, secret


def test_the_calendar_feed_address_never_leaves_in_an_export(world, client, login):
    feed = world["feed"]
    token = feeds.make_token(feed.salt, SECRET)
    login(world["alice"])
    bodies = [client.get(f"/account/data/confnet-data.{fmt}").data for fmt in ("json", "md")]
    with zipfile.ZipFile(io.BytesIO(client.get("/account/data/confnet-data.zip").data)) as z:
        bodies += [z.read(name) for name in z.namelist()]
    for body in bodies:
        for secret in (token, feed.salt, feed.token_hash):
            assert secret.encode() not in body


def test_markdown_is_for_reading_and_quotes_what_people_wrote(world):
    data = services.export_person_data(world["alice"], now=NOW)
    text = services.render_markdown(data)
    assert text.startswith("# Your data on confnet\n")
    for heading in (
        "## Account",
        "## Profile",
        "## Conferences you joined",
        "## Your agenda (starred sessions)",
        "## Workshop seats and waitlist places",
        "## Calendar feed",
        "## Introductions and messages",
        "## Meetings",
        "## Your private notes",
        "## Shared-note revisions you wrote",
    ):
        assert f"\n{heading}\n" in text, heading
    assert "> Bio-marker-A1\n> # not a heading" in text  # a line of the bio, not a heading
    assert "Fri 26 Mar 2027, 11:00 CET · Echo workshop (Cardio 2027): waitlist, place 1" in text
    assert "> Thread-from-bob" in text


def test_downloads_are_private_attachments_for_the_logged_in_person(world, client, login):
    assert client.get("/account/data").status_code == 302
    assert client.get("/account/data/confnet-data.json").status_code == 302
    login(world["alice"])
    page = client.get("/account/data").get_data(as_text=True)
    for fmt in ("json", "md", "zip"):
        assert f'href="/account/data/confnet-data.{fmt}"' in page
    assert 'href="/account/data"' in client.get("/account/profile").get_data(as_text=True)
    today = utcnow().date().isoformat()
    answers = {
        fmt: client.get(f"/account/data/confnet-data.{fmt}") for fmt in ("json", "md", "zip")
    }
    for fmt, response in answers.items():
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="confnet-data-{today}.{fmt}"'
        )
        assert "no-store" in response.headers["Cache-Control"]
    assert answers["json"].mimetype == "application/json"
    assert answers["md"].headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert answers["json"].get_json()["account"]["email"] == "alice@example.org"
    assert answers["md"].get_data(as_text=True).startswith("# Your data on confnet")
    with zipfile.ZipFile(io.BytesIO(answers["zip"].data)) as archive:
        assert sorted(archive.namelist()) == ["confnet-data.json", "confnet-data.md"]
        inside = json.loads(archive.read("confnet-data.json"))
    assert inside["introductions"] == answers["json"].get_json()["introductions"]


def test_an_organizer_export_names_their_role(make, world):
    boss = make.user(name="Olga Organizer")
    make.member(boss, make.conference("other"), Role.ORGANIZER)
    data = services.export_person_data(boss, now=NOW)
    assert [(m["conference"], m["role"]) for m in data["memberships"]] == [("other", "organizer")]
    assert data["profile"] is None and data["introductions"] == []
    assert "You have not filled in a profile." in services.render_markdown(data)
