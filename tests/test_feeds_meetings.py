"""Meetings in personal calendar feeds, read with every parser (``read_feed``): accepted ones in
both people's feeds, cancellations that reach calendars, nothing before acceptance, and an ETag
that follows every change."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from helpers import counting_queries
from test_feeds_parsers import read_feed
from test_feeds_speed import queries

from confnet.extensions import db
from confnet.feeds import services as feeds
from confnet.introductions.notify import Teller
from confnet.meetings import answers, services
from confnet.meetings.points import add_meeting_point, delete_meeting_point
from confnet.meetings.services import MeetingRequest
from confnet.models import Star
from confnet.notify import silent_messenger
from confnet.permissions import connection_between

SECRET = "test-secret-key"  # the test app's SECRET_KEY (tests/helpers.py)
AMS = ZoneInfo("Europe/Amsterdam")
SAT, SUN = date(2027, 3, 27), date(2027, 3, 28)
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
TELL = Teller(silent_messenger(), meetings="/c/medconf/meetings")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr("confnet.feeds.views.utcnow", lambda: NOW)


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
def pair(make, conference):
    anna, bob = make.user(name="Anna de Vries"), make.user(name="Bob Jansen")
    for person in (anna, bob):
        make.member(person, conference)
    make.introduction(conference, anna, bob)
    return anna, bob


def feed_path(user) -> str:
    feed = feeds.turn_on_feed(user, secret=SECRET, now=NOW)
    return f"/feeds/{feeds.make_token(feed.salt, SECRET)}.ics"


def book(conference, host, guest, day=SUN, hour=10, **kw):
    request = MeetingRequest(
        day,
        time(hour),
        kw.pop("minutes", 30),
        kw.pop("point", None),
        kw.pop("place", "Coffee bar"),
        kw.pop("note", ""),
    )
    intro = connection_between(host, guest)
    return services.book_meeting(intro, host, conference, request, now=NOW, teller=TELL)


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def fetch(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), response.status_code
    return response


def test_an_accepted_meeting_is_in_both_feeds(client, login, conference, pair):
    anna, bob = pair
    lounge = add_meeting_point(conference, "Meeting lounge", "Level 2, by the stairs")
    meeting = book(conference, anna, bob, point=lounge.id, note="Trial sites <b>please</b>")
    paths = {anna: feed_path(anna), bob: feed_path(bob)}
    uid = f"meeting-{meeting.id}@confnet"
    for path in paths.values():
        assert uid not in read_feed(fetch(client, path).data)  # proposed: not in calendars yet
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    start = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST, after the clocks went forward
    for person, other in ((anna, "Bob Jansen"), (bob, "Anna de Vries")):
        data = fetch(client, paths[person]).data
        seen = read_feed(data)[uid]
        assert (seen.start, seen.end) == (start, datetime(2027, 3, 28, 8, 30, tzinfo=UTC))
        assert (seen.status, seen.sequence, seen.summary) == (
            "CONFIRMED",
            0,
            f"Meeting with {other}",
        )
        event = vevents(data)[uid]
        assert str(event["location"]) == "Meeting lounge, De Doelen, Rotterdam"
        assert str(event["description"]) == (
            "Meeting lounge: Level 2, by the stairs\n\nNote: Trial sites <b>please</b>\n\n"
            "Your meetings: http://confnet.test/c/medconf/meetings"
        )
        assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
        assert event.decoded("dtstamp") == event.decoded("last-modified") == meeting.updated_at
        assert str(event["transp"]) == "OPAQUE" and event.get("categories").cats == ["Meeting"]
    login(anna)
    assert client.get("/c/medconf/meetings").status_code == 200  # the link in the description


def test_a_meeting_accepted_then_cancelled_is_cancelled_in_both_feeds(
    monkeypatch, client, conference, pair
):
    anna, bob = pair
    meeting = book(conference, anna, bob)
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    uid = f"meeting-{meeting.id}@confnet"
    paths = [feed_path(anna), feed_path(bob)]
    before = [read_feed(fetch(client, path).data)[uid] for path in paths]
    answers.cancel_meeting(meeting, anna, conference, now=NOW, teller=TELL)
    for path, earlier in zip(paths, before, strict=True):
        data = fetch(client, path).data
        seen = read_feed(data)[uid]
        assert seen.status == "CANCELLED" and seen.sequence > earlier.sequence
        assert seen.summary.startswith("Cancelled: Meeting with ")
        assert str(vevents(data)[uid]["transp"]) == "TRANSPARENT"
    after = datetime(2027, 3, 29, 0, 0, tzinfo=UTC)  # the conference is over in Amsterdam
    monkeypatch.setattr("confnet.feeds.views.utcnow", lambda: after)
    for path in paths:
        assert uid not in read_feed(fetch(client, path).data)


def test_proposed_declined_countered_and_withdrawn_meetings_stay_out(
    client, make, conference, pair
):
    anna, bob = pair
    carl = make.user(name="Carl Smit")
    make.member(carl, conference)
    make.introduction(conference, carl, bob)
    declined = book(conference, anna, bob, SAT, 10)
    answers.decline_meeting(declined, bob, conference, now=NOW, teller=TELL)
    countered = book(conference, carl, bob, SAT, 11)
    request = MeetingRequest(SAT, time(14), 30, None, "Hall")
    services.propose_time(countered, bob, conference, request, now=NOW, teller=TELL)
    withdrawn = book(conference, anna, bob, SAT, 16)
    answers.cancel_meeting(withdrawn, anna, conference, now=NOW, teller=TELL)
    assert read_feed(fetch(client, feed_path(bob)).data) == {}


def test_meetings_and_sessions_share_a_feed_without_clashing_uids(client, make, conference, pair):
    anna, bob = pair
    talk = make.item(
        conference, title="Heart failure", starts_at=datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    )
    make.publish(conference)
    db.session.add(Star(user_id=anna.id, item_id=talk.id))
    meeting = book(conference, anna, bob, SUN, 14)  # Saturday's hours are the talk's
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    seen = read_feed(fetch(client, feed_path(anna)).data)  # checks that UIDs are unique
    assert sorted(seen) == sorted(
        [f"{talk.published.guid}@confnet", f"meeting-{meeting.id}@confnet"]
    )


def test_the_etag_follows_every_change_of_a_meeting(client, conference, pair):
    anna, bob = pair
    lounge = add_meeting_point(conference, "Meeting lounge")
    path = feed_path(anna)
    tags = [fetch(client, path).headers["ETag"]]
    meeting = book(conference, anna, bob, point=lounge.id)
    assert fetch(client, path, **{"If-None-Match": tags[-1]}).status_code == 304  # proposed only
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    tags.append(fetch(client, path).headers["ETag"])
    assert fetch(client, path, **{"If-None-Match": tags[-1]}).status_code == 304
    lounge.details = "Level 2"
    db.session.flush()
    tags.append(fetch(client, path).headers["ETag"])
    delete_meeting_point(lounge, now=NOW)
    tags.append(fetch(client, path).headers["ETag"])
    bob.name = "Bob J. Jansen"
    db.session.flush()
    tags.append(fetch(client, path).headers["ETag"])
    answers.cancel_meeting(meeting, bob, conference, now=NOW, teller=TELL)
    tags.append(fetch(client, path).headers["ETag"])
    assert len(set(tags)) == len(tags) == 6
    data = fetch(client, path).data
    assert str(vevents(data)[f"meeting-{meeting.id}@confnet"]["location"]).startswith(
        "Meeting lounge, De Doelen"
    )


def test_meetings_cost_the_same_queries_however_many_there_are(client, conference, pair):
    anna, bob = pair
    path = feed_path(anna)
    counts = {}
    for hours in ([10], [11, 12, 13, 14]):
        for hour in hours:
            meeting = book(conference, anna, bob, SAT, hour)
            answers.accept_meeting(meeting, bob, conference, now=NOW, teller=TELL)
        db.session.commit()
        with counting_queries() as built:
            response = fetch(client, path)
        with counting_queries() as unchanged:
            assert (
                fetch(client, path, **{"If-None-Match": response.headers["ETag"]}).status_code
                == 304
            )
        events = response.data.count(b"UID:meeting-")
        counts[events] = (len(queries(built)), len(queries(unchanged)))
    assert list(counts) == [1, 5]
    assert counts[1] == counts[5]
