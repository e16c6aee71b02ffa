"""Deleting your account: your data goes, your seats go to the waitlist in order, shared notes
you wrote stay as "a former attendee", you are logged out everywhere, and everybody else's data
is exactly as it was."""

from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from confnet.extensions import db
from confnet.feeds import services as feeds
from confnet.mail import OutboxMailer
from confnet.models import (
    Introduction,
    IntroductionStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Message,
    NoteRevision,
    Notification,
    OutboxMessage,
    PrivateNote,
    PublishedItem,
    ScheduleItem,
    Seat,
    SeatStatus,
    Star,
    User,
)
from confnet.notes import services as notes
from confnet.privacy import services
from confnet.workshops import services as workshops
from confnet.workshops.notify import Notifier

SECRET = "test-secret-key"
BEFORE = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # sign-ups happen here
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)  # the account is deleted here
T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)


def workshop(make, conference, title, capacity, starts_at=T0):
    return make.item(
        conference,
        title=title,
        kind=ItemKind.WORKSHOP,
        capacity=capacity,
        signup_required=True,
        starts_at=starts_at,
        minutes=90,
    )


@pytest.fixture
def world(make):
    conference = make.conference("cardio", name="Cardio 2027")
    full = workshop(make, conference, "Echo workshop", 1)
    roomy = workshop(make, conference, "Suturing", 2, starts_at=T0 + timedelta(hours=3))
    started = workshop(make, conference, "Past lab", 2, starts_at=NOW - timedelta(hours=1))
    talk = make.item(conference, title="Heart failure update", starts_at=T0 + timedelta(days=1))
    people = {
        name: make.user(f"{name}@example.org", name.capitalize())
        for name in ("alice", "bob", "carol", "dave", "erin")
    }
    for person in people.values():
        make.member(person, conference)
        make.profile(person, specialty=f"{person.name}-specialty")
    make.publish(conference)
    alice, bob, carol, dave, erin = people.values()
    for person, item in (
        (alice, full),  # alice has the seat; bob, then carol wait
        (bob, full),
        (carol, full),
        (dave, roomy),
        (dave, roomy),
        (alice, started),  # a workshop already under way when she leaves
        (dave, started),
    ):
        workshops.sign_up(person, item, now=BEFORE, tz=conference.tz)
    roomy.capacity = 1
    for person in (alice, erin):  # wait for "Suturing": alice first
        workshops.sign_up(person, roomy, now=BEFORE, tz=conference.tz)
    published = db.session.get(PublishedItem, talk.id)
    notes.save_shared_note(published, bob, "Bob's first draft", base=0, now=BEFORE)
    notes.save_shared_note(published, alice, "Alice-revision-text", base=1, now=BEFORE)
    notes.save_shared_note(published, bob, "Bob's final text", base=2, now=BEFORE)
    for owner, body in ((alice, "Alice-private"), (bob, "Bob-private")):
        db.session.add(PrivateNote(user_id=owner.id, conference_id=conference.id, body=body))
        db.session.add(Star(user_id=owner.id, item_id=talk.id))
    connection = make.introduction(conference, alice, bob)
    db.session.add(Message(introduction_id=connection.id, sender_id=bob.id, body="Bob-to-alice"))
    db.session.add(
        Meeting(
            conference_id=conference.id,
            introduction_id=connection.id,
            host_id=bob.id,
            guest_id=alice.id,
            starts_at=T0 + timedelta(hours=6),
            ends_at=T0 + timedelta(hours=6, minutes=30),
            status=MeetingStatus.ACCEPTED,
        )
    )
    # Alice introduced Carol and Dave (now connected), and Bob and Erin (still pending).
    brokered = make.introduction(conference, carol, dave, by=alice)
    db.session.add(Message(introduction_id=brokered.id, sender_id=carol.id, body="Carol-to-dave"))
    pending = make.introduction(conference, bob, erin, status=IntroductionStatus.PENDING, by=alice)
    others = make.introduction(conference, bob, carol)
    db.session.add(OutboxMessage(recipient=alice.email, subject="Reset", body="link", user_id=None))
    feed = feeds.turn_on_feed(alice, secret=SECRET, now=BEFORE)
    db.session.flush()
    return {
        **people,
        "conference": conference,
        "full": full,
        "roomy": roomy,
        "started": started,
        "talk": talk,
        "brokered": brokered,
        "pending": pending,
        "others": others,
        "feed_path": f"/feeds/{feeds.make_token(feed.salt, SECRET)}.ics",
    }


@pytest.fixture
def notifier():
    return Notifier(mailer=OutboxMailer(log_bodies=False), link=lambda item: f"/s/{item.id}")


def delete(world, notifier, password="correct horse battery"):
    return services.delete_account(world["alice"], password, now=NOW, notifier=notifier)


def seats(item) -> list[tuple[str, SeatStatus]]:
    rows = db.session.execute(
        select(User.name, Seat.status).join(User).where(Seat.item_id == item.id).order_by(Seat.id)
    )
    return [tuple(row) for row in rows]


def taken(item) -> int:
    return db.session.scalar(select(ScheduleItem.seats_taken).filter_by(id=item.id))


def test_seats_go_to_the_waitlist_in_order_and_the_counters_stay_right(world, notifier):
    receipt = delete(world, notifier)
    assert receipt == services.Receipt(places_given_up=3, moved_up=1)
    full, roomy, started = world["full"], world["roomy"], world["started"]
    assert seats(full) == [("Bob", SeatStatus.CONFIRMED), ("Carol", SeatStatus.WAITLISTED)]
    assert taken(full) == 1
    assert workshops.waitlist_position(workshops.seat_of(world["carol"], full)) == 1
    assert seats(roomy) == [("Dave", SeatStatus.CONFIRMED), ("Erin", SeatStatus.WAITLISTED)]
    assert taken(roomy) == 1
    assert workshops.waitlist_position(workshops.seat_of(world["erin"], roomy)) == 1
    assert seats(started) == [("Dave", SeatStatus.CONFIRMED)]
    assert taken(started) == 1  # no promotion once started, but the count follows the seats
    told = db.session.scalars(select(Notification.text).filter_by(user_id=world["bob"].id))
    assert list(told) == ["Good news: you have a seat in “Echo workshop”."]


def test_shared_note_revisions_stay_as_a_former_attendee(world, notifier, client, login):
    delete(world, notifier)
    revisions = db.session.execute(
        select(NoteRevision.number, NoteRevision.author_id, NoteRevision.body).order_by(
            NoteRevision.number
        )
    ).all()
    bob = world["bob"].id
    assert [tuple(r) for r in revisions] == [
        (1, bob, "Bob's first draft"),
        (2, None, "Alice-revision-text"),
        (3, bob, "Bob's final text"),
    ]
    login(world["bob"])
    path = f"/c/cardio/sessions/{world['talk'].id}/notes/history"
    page = client.get(path).get_data(as_text=True)
    assert "a former attendee" in page and "Alice" not in page


def test_the_person_is_logged_out_everywhere_cannot_log_in_and_their_feed_is_gone(
    app, world, notifier, client, login
):
    assert client.get(world["feed_path"]).status_code == 200
    other_device = app.test_client()
    other_device.post(
        "/log-in",
        data={
            "email": "alice@example.org",
            "password": "correct horse battery",
            "remember": "y",
            "csrf_token": csrf(other_device),
        },
    )
    login(world["alice"])
    assert other_device.get("/account/profile").status_code == 200
    response = client.post(
        "/account/delete",
        data={
            "password": "correct horse battery",
            "understood": "y",
            "csrf_token": csrf(client, "/account/data"),
        },
    )
    assert response.status_code == 302 and response.location.endswith("/")
    assert "Your account is deleted" in client.get("/").get_data(as_text=True)
    for device in (client, other_device):
        assert device.get("/account/profile").status_code == 302  # to the log-in page
    assert client.get(world["feed_path"]).status_code == 404
    again = client.post(
        "/log-in",
        data={
            "email": "alice@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf(client),
        },
    )
    assert again.status_code == 200 and "match an account" in again.get_data(as_text=True)


def test_nothing_points_at_the_person_any_more(world, notifier):
    alice = world["alice"].id
    delete(world, notifier)
    assert db.session.get(User, alice) is None
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "users":
                count = select(func.count()).select_from(table).where(key.parent == alice)
                assert db.session.scalar(count) == 0, f"{table.name}.{key.parent.name}"
    mail = select(func.count()).select_from(OutboxMessage).filter_by(recipient="alice@example.org")
    assert db.session.scalar(mail) == 0


def test_everybody_elses_data_is_untouched(world, notifier):
    bob, carol, dave, erin = world["bob"], world["carol"], world["dave"], world["erin"]
    delete(world, notifier)
    db.session.expire_all()
    assert [p.profile.specialty for p in (bob, carol, dave, erin)] == [
        "Bob-specialty",
        "Carol-specialty",
        "Dave-specialty",
        "Erin-specialty",
    ]
    assert db.session.scalars(select(PrivateNote.body)).all() == ["Bob-private"]
    assert db.session.scalars(select(Star.user_id)).all() == [bob.id]
    assert db.session.get(Introduction, world["others"].id).status is IntroductionStatus.ACCEPTED
    # The introduction Alice made stays theirs: connected, with its thread, "by a former attendee".
    brokered = db.session.get(Introduction, world["brokered"].id)
    assert brokered.status is IntroductionStatus.ACCEPTED and brokered.is_brokered
    assert brokered.requested_by.name == "Former attendee"
    assert brokered.requested_by.email == services.FORMER_ATTENDEE_EMAIL
    assert db.session.scalars(select(Message.body)).all() == ["Carol-to-dave"]
    # Her pending one is withdrawn; her own connection, its thread and meeting are gone.
    assert db.session.get(Introduction, world["pending"].id).status is IntroductionStatus.WITHDRAWN
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_the_connection_page_names_a_former_attendee(world, notifier, client, login):
    delete(world, notifier)
    login(world["carol"])
    page = client.get(f"/c/cardio/introductions/{world['brokered'].id}")
    assert page.status_code == 200
    assert "Former attendee introduced you" in page.get_data(as_text=True)


def test_a_second_deletion_shares_the_placeholder_and_it_cannot_log_in(world, notifier, make):
    delete(world, notifier)
    carol = world["carol"]
    dave_erin = make.introduction(world["conference"], world["dave"], world["erin"], by=carol)
    services.delete_account(carol, "correct horse battery", now=NOW, notifier=notifier)
    placeholders = db.session.scalars(select(User).filter_by(name="Former attendee")).all()
    assert len(placeholders) == 1
    assert dave_erin.requested_by_id == placeholders[0].id
    assert not check_password_hash(placeholders[0].password_hash, "")


def test_a_wrong_password_or_no_confirmation_deletes_nothing(world, client, login):
    login(world["alice"])
    token = csrf(client, "/account/data")
    wrong = client.post(
        "/account/delete",
        data={"password": "not it at all", "understood": "y", "csrf_token": token},
    )
    assert wrong.status_code == 200
    assert "That password is not right." in wrong.get_data(as_text=True)
    unticked = client.post(
        "/account/delete", data={"password": "correct horse battery", "csrf_token": token}
    )
    assert "Tick the box to confirm." in unticked.get_data(as_text=True)
    forged = client.post(
        "/account/delete", data={"password": "correct horse battery", "understood": "y"}
    )
    assert forged.status_code == 400
    assert client.get("/account/delete").status_code == 405
    db.session.expire_all()
    assert db.session.get(User, world["alice"].id) is not None
    assert taken(world["full"]) == 1 and seats(world["full"])[0] == ("Alice", SeatStatus.CONFIRMED)


def test_the_only_site_admin_cannot_leave(make, notifier):
    admin = make.user(admin=True)
    with pytest.raises(services.DeletionRefused, match="only site admin"):
        services.delete_account(admin, "correct horse battery", now=NOW, notifier=notifier)
    second = make.user(admin=True)
    services.delete_account(admin, "correct horse battery", now=NOW, notifier=notifier)
    assert db.session.get(User, admin.id) is None and second.is_site_admin
