"""One attendee's feed over HTTP, followed through the life of their sessions: every step is
read with every parser (see test_feeds_parsers.read_feed) and must agree on the UTC times."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from test_feeds_parsers import read_feed

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import services
from confnet.models import ItemKind, ItemLink, Speaker
from confnet.schedule.services import star_session, unstar_session
from confnet.workshops import services as workshops
from confnet.workshops.notify import silent_notifier

SECRET = "test-secret-key"  # the test app's SECRET_KEY (tests/helpers.py)
SAT_10 = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # 10:00 CET
SUN_0330 = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 CEST, just after the clocks jump
SIGNUP_NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def conference(make):
    return make.conference(
        "medconf",
        name="MedConf 2027",
        starts_on=date(2027, 3, 26),
        days=3,
        venue="De Doelen",
        city="Rotterdam",
    )


@pytest.fixture
def attendee(make, conference):
    user = make.user(name="Dr. Lotte van Dijk")
    make.member(user, conference)
    return user


def feed_path(user) -> str:
    feed = services.turn_on_feed(user, secret=SECRET, now=utcnow())
    return f"/feeds/{services.make_token(feed.salt, SECRET)}.ics"


def publish(make, conference, item=None, **changes):
    for name, value in changes.items():
        setattr(item, name, value)
    return make.publish(conference)


def fetch(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), response.status_code
    return response


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_a_session_through_its_life_in_one_feed(client, make, conference, attendee):
    hall, maas = make.room(conference, "Hall A"), make.room(conference, "Maas Room")
    track = make.track(conference, "Cardiology")
    item = make.item(conference, title="Heart failure", starts_at=SAT_10, room=hall, track=track)
    make.publish(conference)
    path = feed_path(attendee)
    uid = f"{item.guid}@confnet"

    first = fetch(client, path)
    assert read_feed(first.data) == {}  # nothing starred yet
    star_session(attendee, item.published)
    starred = fetch(client, path)
    seen = read_feed(starred.data)[uid]
    assert (seen.start, seen.end) == (SAT_10, SAT_10 + timedelta(minutes=45))
    assert (seen.status, seen.sequence, seen.summary) == ("CONFIRMED", 0, "Heart failure")
    event = vevents(starred.data)[uid]
    assert str(event["location"]) == "Hall A, De Doelen, Rotterdam"
    assert [str(c) for c in event["categories"].cats] == ["Cardiology", "Talk"]
    assert str(event["url"]) == f"http://confnet.test/c/medconf/sessions/{item.id}"
    assert starred.headers["ETag"] != first.headers["ETag"]

    publish(make, conference, item, starts_at=SUN_0330, ends_at=SUN_0330 + timedelta(hours=1))
    moved = read_feed(fetch(client, path).data)[uid]  # the same UID: moved, not duplicated
    assert (moved.start, moved.end, moved.sequence) == (SUN_0330, SUN_0330 + timedelta(hours=1), 1)

    publish(make, conference, item, room=maas)
    rooms = fetch(client, path).data
    assert read_feed(rooms)[uid].sequence == 2
    assert str(vevents(rooms)[uid]["location"]) == "Maas Room, De Doelen, Rotterdam"

    publish(make, conference, item, title="Heart failure: what's new")
    assert read_feed(fetch(client, path).data)[uid].sequence == 3

    publish(make, conference, item, cancelled=True)
    cancelled = read_feed(fetch(client, path).data)[uid]
    assert cancelled.status == "CANCELLED" and cancelled.sequence == 4
    assert cancelled.summary == "Cancelled: Heart failure: what's new"
    assert cancelled.start == SUN_0330  # the time stays, so calendars can show it cancelled

    unstar_session(attendee, item.published)
    assert read_feed(fetch(client, path).data) == {}


def test_a_cancelled_session_leaves_the_feed_when_the_conference_is_over(
    client, make, conference, attendee, monkeypatch
):
    item = make.item(conference, starts_at=SAT_10, cancelled=False)
    make.publish(conference)
    star_session(attendee, item.published)
    publish(make, conference, item, cancelled=True)
    path = feed_path(attendee)
    assert read_feed(fetch(client, path).data)[f"{item.guid}@confnet"].status == "CANCELLED"
    after = datetime(2027, 3, 28, 22, 0, tzinfo=UTC)  # midnight in Amsterdam: it is over
    monkeypatch.setattr("confnet.feeds.views.utcnow", lambda: after)
    assert read_feed(fetch(client, path).data) == {}


def workshop(make, conference, capacity=1):
    item = make.item(
        conference,
        title="Ultrasound hands-on",
        kind=ItemKind.WORKSHOP,
        capacity=capacity,
        signup_required=True,
        starts_at=SAT_10,
        minutes=90,
    )
    make.publish(conference)
    return item


def test_a_workshop_place_from_waitlist_to_seat(client, make, conference, attendee):
    item = workshop(make, conference)
    holder = make.user()
    make.member(holder, conference)
    workshops.sign_up(holder, item, now=SIGNUP_NOW, tz=conference.tz)
    workshops.sign_up(attendee, item, now=SIGNUP_NOW, tz=conference.tz)
    path, uid = feed_path(attendee), f"{item.guid}@confnet"

    waiting = fetch(client, path)
    seen = read_feed(waiting.data)[uid]
    assert (seen.status, seen.summary, seen.sequence) == (
        "TENTATIVE",
        "Waitlist: Ultrasound hands-on",
        2,
    )
    assert "You are number 1 on the waitlist." in str(vevents(waiting.data)[uid]["description"])
    assert not icalendar.Calendar.from_ical(waiting.data).walk("VALARM")

    workshops.cancel_seat(holder, item, now=SIGNUP_NOW, notifier=silent_notifier())
    seated = fetch(client, path, **{"If-None-Match": waiting.headers["ETag"]})
    assert seated.status_code == 200
    seen = read_feed(seated.data)[uid]
    assert (seen.status, seen.summary, seen.sequence) == ("CONFIRMED", "Ultrasound hands-on", 3)
    assert "You have a seat in this workshop." in str(vevents(seated.data)[uid]["description"])


def test_waitlist_position_moves_up_as_people_ahead_leave(client, make, conference, attendee):
    item = workshop(make, conference)
    people = [make.user() for _ in range(3)]
    for person in people:
        make.member(person, conference)
        workshops.sign_up(person, item, now=SIGNUP_NOW, tz=conference.tz)
    workshops.sign_up(attendee, item, now=SIGNUP_NOW, tz=conference.tz)
    path, uid = feed_path(attendee), f"{item.guid}@confnet"
    before = fetch(client, path)
    assert "number 3 on the waitlist" in str(vevents(before.data)[uid]["description"])
    workshops.cancel_seat(people[1], item, now=SIGNUP_NOW, notifier=silent_notifier())
    after = fetch(client, path, **{"If-None-Match": before.headers["ETag"]})
    assert "number 2 on the waitlist" in str(vevents(after.data)[uid]["description"])


def test_speakers_get_their_sessions_once_and_everything_stays_in_joined_conferences(
    client, make, conference, attendee
):
    speaking = make.item(
        conference,
        title="My talk",
        starts_at=SAT_10,
        speakers=[Speaker(conference_id=conference.id, name="Lotte", user_id=attendee.id)],
    )
    other = make.conference("elsewhere")
    elsewhere = make.item(other, title="Not joined", starts_at=SAT_10)
    make.publish(conference)
    make.publish(other)
    star_session(attendee, speaking.published)  # starred and speaking: still one event
    star_session(attendee, elsewhere.published)
    data = fetch(client, feed_path(attendee)).data
    seen = read_feed(data)
    assert list(seen) == [f"{speaking.guid}@confnet"]
    assert "You speak in this session." in str(
        vevents(data)[f"{speaking.guid}@confnet"]["description"]
    )


def test_description_has_abstract_speakers_room_notes_and_links(client, make, conference, attendee):
    room = make.room(conference, "Maas Room")
    room.notes = "First floor, lift next to the cloakroom."
    item = make.item(
        conference,
        title="Imaging",
        abstract="Why it matters.\n\nWhat to do on Monday.",
        room=room,
        starts_at=SAT_10,
        speakers=[Speaker(conference_id=conference.id, name="Dr. Ada Byron")],
    )
    db.session.add(ItemLink(item_id=item.id, label="Slides", url="https://example.org/s.pdf"))
    make.publish(conference)
    star_session(attendee, item.published)
    description = str(
        vevents(fetch(client, feed_path(attendee)).data)[f"{item.guid}@confnet"]["description"]
    )
    assert description == (
        "Why it matters.\n\nWhat to do on Monday.\n\n"
        "Speakers: Dr. Ada Byron\nMaas Room: First floor, lift next to the cloakroom.\n\n"
        f"Session page: http://confnet.test/c/medconf/sessions/{item.id}\n"
        f"Shared notes: http://confnet.test/c/medconf/sessions/{item.id}/notes\n"
        "Slides: https://example.org/s.pdf"
    )
    public = vevents(fetch(client, f"/c/medconf/sessions/{item.id}.ics").data)
    assert "Shared notes" not in str(public[f"{item.guid}@confnet"]["description"])  # members'
    assert client.get(f"/c/medconf/sessions/{item.id}/notes").status_code != 404


def test_reminders_go_on_confirmed_sessions_only(client, make, conference, attendee):
    talk = make.item(conference, title="Talk", starts_at=SAT_10)
    dropped = make.item(conference, title="Dropped", starts_at=SAT_10 + timedelta(hours=2))
    make.publish(conference)
    star_session(attendee, talk.published)
    star_session(attendee, dropped.published)
    publish(make, conference, dropped, cancelled=True)
    path = feed_path(attendee)
    services.set_reminder(services.feed_of(attendee), 15)
    data = fetch(client, path).data
    alarms = {
        str(e["uid"]): e.walk("VALARM") for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }
    assert [a.decoded("trigger") for a in alarms[f"{talk.guid}@confnet"]] == [
        timedelta(minutes=-15)
    ]
    assert alarms[f"{dropped.guid}@confnet"] == []
