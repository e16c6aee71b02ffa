"""Feeds cost a fixed number of queries, unchanged feeds are cheap, and a 1,000-session conference
feed is built once per version. Timings are reported (run with ``-s``) as medians next to the
framework's floor: GET /healthz through the same app (Flask, one ``SELECT 1``, no template)."""

import statistics
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import pytest
from helpers import counting_queries
from sqlalchemy import insert

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import public, services
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


def median_ms(client, path: str, runs: int = 15, **headers) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 304)
    return statistics.median(times)


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
    print("\nfeed (events, queries to build, queries for a 304):", counts)
    assert counts["few"][0] == 5 and counts["many"][0] == 40
    assert counts["few"][1:] == counts["many"][1:]
    # The token, the commitments, their items, their links, and the meetings (one query serves
    # both their stamp and their events).
    assert counts["many"][2] == 5
    assert counts["many"][1] == 7  # and the full items, and recording the new version


def test_speed_against_the_floor(client, make):
    """The numbers of the issue: a 40-item personal feed (build and 304), and the 1,000-session
    conference feed (cold build, cached, 304), each next to the floor."""
    ids = seed_conference(make, "large", 1000, rooms=20)
    user = make.user()
    make.member(user, get_conference_or_404("large"))
    commit_to(make, user, ids, stars=34, seats=4, speaking=2)
    path = feed_path(user)
    db.session.commit()
    floor = median_ms(client, "/healthz", runs=41)

    personal = client.get(path)
    assert personal.data.count(b"BEGIN:VEVENT") == 40
    etag = personal.headers["ETag"]
    personal_304 = median_ms(client, path, **{"If-None-Match": etag})
    personal_build = median_ms(client, path)  # unconditional: builds every time

    public.clear_cache()
    start = time.perf_counter()
    cold = client.get("/c/large/schedule.ics")
    cold_ms = (time.perf_counter() - start) * 1000
    assert cold.data.count(b"BEGIN:VEVENT") == 1000
    warm_ms = median_ms(client, "/c/large/schedule.ics")
    public_304 = median_ms(
        client, "/c/large/schedule.ics", **{"If-None-Match": cold.headers["ETag"]}
    )

    rows = [
        ("floor: GET /healthz", floor),
        ("personal feed, 40 events, built", personal_build),
        ("personal feed, 304", personal_304),
        ("conference feed, 1,000 sessions, cold build", cold_ms),
        ("conference feed, 1,000 sessions, cached", warm_ms),
        ("conference feed, 304", public_304),
    ]
    print(f"\n{'request':48} {'median ms':>10} {'x floor':>8}")
    for name, ms in rows:
        print(f"{name:48} {ms:10.2f} {ms / floor:8.1f}")
    print(f"conference feed: {len(cold.data) / 1e6:.2f} MB")
    assert personal_304 < personal_build
    assert warm_ms * 10 < cold_ms  # the cache does its job
    assert public_304 * 10 < cold_ms
