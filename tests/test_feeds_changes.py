"""A calendar app polling with the ETag of its copy gets every change, although most polls are
answered from the feed's key alone (``calendar_feeds.changes``, raised by the triggers of
migration 0012, and each conference's details, release and programme stamp): for each kind of
change, the first poll after it is a 200 with the same ETag as a fresh download."""

from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import counting_queries
from test_feeds_meetings import NOW, SECRET, TELL, book, frozen  # noqa: F401 (frozen: autouse)
from test_feeds_speed import queries

from confnet.extensions import db
from confnet.feeds import services as feeds
from confnet.meetings import answers
from confnet.meetings.points import add_meeting_point
from confnet.models import ItemKind, Speaker
from confnet.schedule.services import star_session, unstar_session
from confnet.workshops import services as workshops
from confnet.workshops.notify import silent_notifier

SAT_10 = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    """Lotte's feed: a starred talk in Hall A, a cancelled starred talk, a waitlist place
    behind someone, a speaker record that is hers, and a meeting with Bob at the lounge."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3, venue="Doelen")
    lotte, bob, holder, ahead = (make.user(name=n) for n in ("Lotte", "Bob", "Holder", "Ahead"))
    members = {p.name: make.member(p, conference) for p in (lotte, bob, holder, ahead)}
    room = make.room(conference, "Hall A")
    talk = make.item(conference, title="Heart failure", starts_at=SAT_10, room=room)
    gone = make.item(conference, title="Gone", starts_at=SAT_10 + timedelta(hours=2))
    other = make.item(conference, title="Sepsis", starts_at=SAT_10 + timedelta(hours=4))
    lab = make.item(conference, title="Lab", kind=ItemKind.WORKSHOP, capacity=1)
    lab.signup_required = True
    mine = Speaker(conference_id=conference.id, name="L. van Dijk", user_id=lotte.id)
    db.session.add(mine)
    make.publish(conference)
    for item in (talk, gone):
        star_session(lotte, item.published)
    gone.cancelled = True
    make.publish(conference)
    for person in (holder, ahead, lotte):
        workshops.sign_up(person, lab, now=NOW, tz=conference.tz)
    make.introduction(conference, lotte, bob)
    lounge = add_meeting_point(conference, "Lounge")
    meeting = book(conference, lotte, bob, point=lounge.id)
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    feed = feeds.turn_on_feed(lotte, secret=SECRET, now=NOW)
    path = f"/feeds/{feeds.make_token(feed.salt, SECRET)}.ics"
    return locals()


def _set(thing, **values):
    for name, value in values.items():
        setattr(thing, name, value)
    db.session.flush()


CHANGES = {
    "she stars a session": lambda w: star_session(w["lotte"], w["other"].published),
    "she un-stars one": lambda w: unstar_session(w["lotte"], w["talk"].published),
    "someone ahead on the waitlist leaves": lambda w: workshops.cancel_seat(
        w["ahead"], w["lab"], now=NOW, notifier=silent_notifier()
    ),
    "she leaves the waitlist": lambda w: workshops.cancel_seat(
        w["lotte"], w["lab"], now=NOW, notifier=silent_notifier()
    ),
    "her speaker record is given a session": lambda w: _set(
        w["other"], speakers=[*w["other"].speakers, w["mine"]]
    ),
    "she leaves the conference": lambda w: (
        db.session.delete(w["members"]["Lotte"]),
        db.session.flush(),
    ),
    "the meeting is cancelled": lambda w: answers.cancel_meeting(
        w["meeting"], w["bob"], w["conference"], now=NOW, teller=TELL
    ),
    "Bob changes his name": lambda w: _set(w["bob"], name="Bob J. Jansen"),
    "the meeting point is renamed": lambda w: _set(w["lounge"], name="Lounge, level 2"),
    "a release changes her session": lambda w: (
        _set(w["talk"], title="Heart failure in 2027"),
        w["make"].publish(w["conference"]),
    ),
    "her room is renamed": lambda w: _set(w["room"], name="Hall B"),
    "the venue changes": lambda w: _set(w["conference"], venue="Ahoy"),
    "she sets a reminder": lambda w: feeds.set_reminder(feeds.feed_of(w["lotte"]), 10),
}


def poll(client, path, etag):
    return client.get(path, headers={"If-None-Match": etag})


@pytest.mark.parametrize("change", CHANGES)
def test_the_first_poll_after_a_change_gets_the_new_feed(client, make, world, change):
    path = world["path"]
    etag = client.get(path).headers["ETag"]
    assert poll(client, path, etag).status_code == 304
    CHANGES[change]({**world, "make": make})
    db.session.commit()
    answer = poll(client, path, etag)
    assert answer.status_code == 200
    assert answer.headers["ETag"] != etag
    assert client.get(path).headers["ETag"] == answer.headers["ETag"]
    assert poll(client, path, answer.headers["ETag"]).status_code == 304


def test_a_cancelled_session_leaves_at_the_end_without_a_change(client, world, monkeypatch):
    """Time alone changes the feed: once the conference is over, cancelled sessions go."""
    path = world["path"]
    etag = client.get(path).headers["ETag"]
    over = datetime(2027, 3, 28, 23, 0, tzinfo=UTC)  # past midnight in Amsterdam
    monkeypatch.setattr("confnet.feeds.views.utcnow", lambda: over)
    answer = poll(client, path, etag)
    assert answer.status_code == 200
    assert b"Gone" not in answer.data and b"Heart failure" in answer.data


UNRELATED = {
    "someone else stars her session": lambda w: star_session(w["bob"], w["talk"].published),
    "someone behind her joins the waitlist": lambda w: workshops.sign_up(
        w["bob"], w["lab"], now=NOW, tz=w["conference"].tz
    ),
    "a room she has no session in is renamed": lambda w: _set(
        w["make"].room(w["conference"], "Hall C"), name="Hall D"
    ),
}


@pytest.mark.parametrize("change", UNRELATED)
def test_a_change_outside_the_feed_keeps_it_304_and_cheap(client, make, world, change):
    """The first poll after a change the feed doesn't show reads at most the whole state once
    (still 304); the next reads the key at most (again when the first recorded a new key), and
    later ones nothing: the worker keeps the key until the database changes."""
    path = world["path"]
    etag = client.get(path).headers["ETag"]
    UNRELATED[change]({**world, "make": make})
    db.session.commit()
    assert poll(client, path, etag).status_code == 304
    with counting_queries() as statements:
        assert poll(client, path, etag).status_code == 304
    assert len(queries(statements)) <= 1
    assert not any("meetings" in s for s in statements)  # the key, not the whole state
    with counting_queries() as statements:
        assert poll(client, path, etag).status_code == 304
    assert statements == []
