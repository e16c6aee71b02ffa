"""Feeds cost a fixed number of queries, unchanged feeds are cheap, and what is kept between
requests (bodies by version, serialised events) never shows anything stale. Speed itself is
measured by ``make bench`` (bench/scale.py), not here."""

from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import pytest
from helpers import counting_queries
from sqlalchemy import insert

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import ics, public, services
from confnet.models import ItemKind, ItemLink, Room, ScheduleItem, Seat, SeatStatus, Speaker, Star
from confnet.models.programme import item_speakers
from confnet.releases.services import publish_schedule
from confnet.web import get_conference_or_404

SECRET = "test-secret-key"
FIRST_DAY = date(2027, 3, 26)


def queries(statements: list[str]) -> list[str]:
    """The statements that ask the database something (SQLite's BEGIN doesn't)."""
    return [s for s in statements if not s.startswith("BEGIN")]


def seed_conference(make, slug: str, sessions: int, rooms: int = 10) -> list[int]:
    """A published conference over three days (Europe/Amsterdam, across the DST change), with
    bulk inserts: parallel 25-minute sessions every half hour, links on one in four."""
    conference = make.conference(slug, starts_on=FIRST_DAY, days=3, venue="De Doelen")
    room_rows = [Room(conference_id=conference.id, name=f"Room {n}") for n in range(rooms)]
    speaker = Speaker(conference_id=conference.id, name="Dr. Speaker")
    db.session.add_all([*room_rows, speaker])
    db.session.flush()
    per_day = -(-sessions // 3)
    rows = []
    for n in range(sessions):
        day, slot = divmod(n, per_day)
        row, column = divmod(slot, rooms)
        local = datetime.combine(FIRST_DAY + timedelta(days=day), clock(8), conference.tz)
        starts = (local + timedelta(minutes=30 * row)).astimezone(UTC)
        rows.append(
            {
                "conference_id": conference.id,
                "title": f"Session {n}: advances in evidence-based care, part {n % 7}",
                "abstract": "Why it matters, what is new and what to do on Monday. " * 4,
                "kind": ItemKind.WORKSHOP if n % 10 == 0 else ItemKind.TALK,
                "room_id": room_rows[column].id,
                "starts_at": starts,
                "ends_at": starts + timedelta(minutes=25),
                "capacity": 30,
                "signup_required": n % 10 == 0,
            }
        )
    ids = list(
        db.session.scalars(
            insert(ScheduleItem).returning(ScheduleItem.id, sort_by_parameter_order=True), rows
        )
    )
    links = [{"item_id": i, "label": "Slides", "url": f"https://example.org/{i}"} for i in ids[::4]]
    db.session.execute(insert(ItemLink), links)
    db.session.execute(insert(item_speakers), [{"item_id": ids[2], "speaker_id": speaker.id}])
    publish_schedule(conference, by=None, confirm_conflicts=True)
    return ids


def commit_to(make, user, ids: list[int], stars: int, seats: int, speaking: int) -> None:
    """Stars, seats (half confirmed, half waitlisted) and speaker links for ``user``."""
    db.session.execute(insert(Star), [{"user_id": user.id, "item_id": i} for i in ids[:stars]])
    workshops = [i for i in ids[stars:] if db.session.get(ScheduleItem, i).signup_required][:seats]
    db.session.add_all(
        Seat(
            item_id=i,
            user_id=user.id,
            status=SeatStatus.CONFIRMED if n % 2 else SeatStatus.WAITLISTED,
        )
        for n, i in enumerate(workshops)
    )
    for i in ids[-speaking:] if speaking else []:
        item = db.session.get(ScheduleItem, i)
        item.speakers.append(
            Speaker(conference_id=item.conference_id, name=user.name, user_id=user.id)
        )
    db.session.flush()


def feed_path(user) -> str:
    feed = services.turn_on_feed(user, secret=SECRET, now=utcnow())
    return f"/feeds/{services.make_token(feed.salt, SECRET)}.ics"


@pytest.fixture
def two_conferences(make):
    first = seed_conference(make, "alpha", 120)
    second = seed_conference(make, "beta", 60)
    return first, second


def test_a_personal_feed_costs_the_same_queries_for_5_and_for_40_items(
    client, make, two_conferences
):
    alpha, beta = two_conferences
    few, many = make.user(), make.user()
    for user in (few, many):
        for slug in ("alpha", "beta"):
            make.member(user, get_conference_or_404(slug))
    commit_to(make, few, alpha, stars=3, seats=1, speaking=1)
    commit_to(make, many, alpha, stars=20, seats=6, speaking=2)
    commit_to(make, many, beta, stars=10, seats=0, speaking=2)
    paths = {"few": feed_path(few), "many": feed_path(many)}
    counts = {}
    for name, path in paths.items():
        db.session.commit()
        with counting_queries() as built:
            response = client.get(path)
        assert response.status_code == 200
        events = response.data.count(b"BEGIN:VEVENT")
        with counting_queries() as unchanged:
            again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
            assert again.status_code == 304
        counts[name] = (events, len(queries(built)), len(queries(unchanged)))
        assert len(unchanged) == 1  # not even a BEGIN
    print("\nfeed (events, queries to build, queries for a 304):", counts)
    assert counts["few"][0] == 5 and counts["many"][0] == 40
    assert counts["few"][1:] == counts["many"][1:]
    # The feed by its token with its key: one query.
    assert counts["many"][2] == 1
    # The first time, the key has no version yet: then the feed with its whole state (as text)
    # and, to render, the commitments, their items' state, their links, the meetings, the full
    # items; and recording the new version.
    assert counts["many"][1] == 8


def test_an_unchanged_personal_feed_is_rendered_once_and_a_change_renders_it_again(
    client, make, two_conferences
):
    alpha, _ = two_conferences
    user = make.user()
    make.member(user, get_conference_or_404("alpha"))
    commit_to(make, user, alpha, stars=5, seats=1, speaking=0)
    path = feed_path(user)
    db.session.commit()
    first = client.get(path)
    with counting_queries() as again:
        second = client.get(path)  # no validator: a full answer, from the kept body
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert len(queries(again)) == 1  # the feed with its key: nothing loaded to render
    assert "meetings" not in queries(again)[0]  # not the whole state either
    someone = make.user()
    make.member(someone, get_conference_or_404("alpha"))
    db.session.add(Star(user_id=someone.id, item_id=alpha[40]))
    db.session.commit()
    assert client.get(path).headers["ETag"] == first.headers["ETag"]  # not theirs: unchanged
    db.session.add(Star(user_id=user.id, item_id=alpha[50]))
    db.session.commit()
    third = client.get(path)
    assert third.headers["ETag"] != first.headers["ETag"]
    assert third.data.count(b"BEGIN:VEVENT") == first.data.count(b"BEGIN:VEVENT") + 1


def test_a_conference_feed_rebuilt_after_a_change_equals_one_built_from_scratch(client, make):
    """Events are kept serialised between builds; a moved, renamed or cancelled session must
    still come out exactly as a cold build writes it."""
    ids = seed_conference(make, "large", 200, rooms=10)
    db.session.commit()
    before = client.get("/c/large/schedule.ics").data
    moved, renamed, cancelled = (db.session.get(ScheduleItem, i) for i in ids[10:13])
    moved.starts_at += timedelta(minutes=15)
    moved.ends_at += timedelta(minutes=15)
    renamed.title = "Renamed: the new title"
    cancelled.cancelled = True
    publish_schedule(get_conference_or_404("large"), by=None, confirm_conflicts=True)
    db.session.commit()
    rebuilt = client.get("/c/large/schedule.ics").data
    public.clear_cache()
    ics.clear_caches()
    cold = client.get("/c/large/schedule.ics").data
    assert rebuilt == cold != before
    assert b"SUMMARY:Renamed: the new title" in rebuilt and b"STATUS:CANCELLED" in rebuilt


def test_public_calendars_and_exports_answer_a_repeat_request_in_a_fixed_number_of_queries(
    client, two_conferences
):
    """A kept conference calendar or export costs the same few queries for 60 sessions as for
    120: the conference, then its version (release, rooms, tracks, links; the export adds
    speakers; the calendar the version it last served) in one SELECT."""
    db.session.commit()
    counts = {}
    for slug in ("alpha", "beta"):
        for path in (f"/c/{slug}/schedule.ics", f"/c/{slug}/schedule.json"):
            assert client.get(path).status_code == 200  # built and kept
            with counting_queries() as repeat:
                again = client.get(path)
            assert again.status_code == 200 and again.data
            counts[slug, path.rsplit(".", 1)[1]] = len(queries(repeat))
    assert counts == {
        ("alpha", "ics"): 2,
        ("alpha", "json"): 2,
        ("beta", "ics"): 2,
        ("beta", "json"): 2,
    }
