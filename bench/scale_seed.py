"""The large deterministic conference of issue 8, bulk-inserted into a freshly migrated database.

5 days x 20 rooms x 10 slots = 1,000 sessions (every tenth a workshop of 20-40 seats), one
speaker each, published once with ``publish_schedule`` (so attendees see them); 10,000 attendees
with profiles (``bench.suggestions``' generator), about 15 starred sessions and 2 workshop
places each (confirmed up to the capacity, then waitlisted), 2,000 accepted introductions each
with an accepted meeting, 300 shared notes of 10 revisions (3,000), and personal calendar feeds
for the attendees the load generator logs in as. Rows go in with Core ``insert()`` and lists of
dicts; one random generator seeded with ``seed`` makes every run identical (the app's own
timestamps aside).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import select, text

from bench.suggestions import _bulk, _profile_row, _some
from confnet.auth.services import hash_password
from confnet.conferences.services import create_conference
from confnet.database import write_intent
from confnet.extensions import db
from confnet.feeds.services import hash_token, make_token
from confnet.models import (
    Answer,
    CalendarFeed,
    Introduction,
    IntroductionStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    NoteRevision,
    Offer,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Role,
    Room,
    ScheduleItem,
    Seat,
    SeatStatus,
    Seek,
    SharedNote,
    Speaker,
    Star,
    Track,
    User,
)
from confnet.models.programme import item_speakers
from confnet.releases.services import publish_schedule

SLUG = "bench-scale"
PASSWORD = "bench-scale-2027-password"  # noqa: S105 (throwaway benchmark database only)
FIRST_DAY = date(2027, 3, 24)  # to the 28th: spans the switch to summer time in Amsterdam
DAYS, ROOMS, SLOTS = 5, 20, 10
KINDS = (ItemKind.TALK,) * 6 + (ItemKind.PANEL, ItemKind.POSTER, ItemKind.KEYNOTE)


@dataclass(frozen=True)
class ScaleData:
    """What the load generator and the in-process checks need to know about the seed."""

    slug: str
    conference_id: int
    organizer_id: int
    password: str
    days: list[str]  # YYYY-MM-DD
    item_ids: list[int]
    workshop_ids: list[int]
    note_item_ids: list[int]
    emails: list[str]  # the attendees the load generator logs in as
    user_ids: list[int]  # their ids, same order
    feed_tokens: list[str]  # their personal feed tokens, same order
    seconds: float  # the seeding time


def seed_scale(
    app: Flask, *, attendees: int = 10_000, logins: int = 16, seed: int = 2027
) -> ScaleData:
    """Seed the conference; ``logins`` attendees get a known e-mail and a feed. Commits."""
    rng = random.Random(seed)
    secret = app.config.get("CALENDAR_FEED_SECRET") or app.config["SECRET_KEY"]
    with app.app_context(), write_intent():
        started = time.perf_counter()
        shared_hash = hash_password(PASSWORD)
        organizer = User(email="organizer@scale.test", name="Scale Organizer")
        organizer.password_hash = shared_hash
        db.session.add(organizer)
        db.session.flush()
        conference = create_conference(
            slug=SLUG,
            name="Benchmark Scale 2027",
            starts_on=FIRST_DAY,
            ends_on=FIRST_DAY + timedelta(days=DAYS - 1),
            timezone="Europe/Amsterdam",
            organizer=organizer,
        )
        cid = conference.id
        items, workshops = _programme(cid, rng)
        publish_schedule(conference, by=organizer, note="Benchmark", confirm_conflicts=True)
        users = _attendees(cid, attendees, shared_hash, rng)
        _stars_and_seats(users, items, workshops, rng)
        _introductions(cid, users, rng)
        notes = _notes(cid, items, users, rng)
        logged = users[:logins]
        tokens = _feeds(logged, secret, rng)
        db.session.commit()
        _after_bulk_load()
        data = ScaleData(
            slug=SLUG,
            conference_id=cid,
            organizer_id=organizer.id,
            password=PASSWORD,
            days=[(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(DAYS)],
            item_ids=items,
            workshop_ids=workshops,
            note_item_ids=notes,
            emails=[_email(n) for n in range(logins)],
            user_ids=logged,
            feed_tokens=tokens,
            seconds=time.perf_counter() - started,
        )
        db.session.remove()
        db.engine.dispose()
    return data


def _after_bulk_load() -> None:
    """Tidy up after the bulk load, as an operator would after an import, or as PostgreSQL's
    autovacuum would within minutes (it may be off on a test server, as it is on the machine
    these benchmarks were first run on): gather the planner's statistics, and on PostgreSQL
    also clear the dead row versions the load left. Every star renewed its session's count,
    so ``star_counts`` holds over a hundred dead versions per live row until vacuumed, and
    reading 200 counts then visits 28,000 pages instead of 200 (15 ms instead of 1 ms)."""
    if db.engine.dialect.name == "sqlite":  # no dead row versions: statistics only
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    with db.engine.connect() as conn:  # VACUUM can't run inside a transaction
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def _email(n: int) -> str:
    return f"scale-{n:05d}@scale.test"


def _programme(cid: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """Rooms, tracks, 1,000 items with one speaker each; (item ids, workshop ids)."""
    _bulk(Room, [{"conference_id": cid, "name": f"Room {r + 1}", "position": r} for r in range(20)])
    _bulk(Track, [{"conference_id": cid, "name": f"Track {t + 1}"} for t in range(8)])
    rooms = list(db.session.scalars(select(Room.id).filter_by(conference_id=cid).order_by("id")))
    tracks = list(db.session.scalars(select(Track.id).filter_by(conference_id=cid).order_by("id")))
    rows = []
    for day in range(DAYS):
        # 08:00 UTC = 09:00 CET / 10:00 CEST; ten 50-minute slots an hour apart.
        base = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, 8, tzinfo=UTC)
        for slot in range(SLOTS):
            for room in range(ROOMS):
                n = len(rows)
                starts = base + timedelta(days=day, hours=slot)
                workshop = n % 10 == 0
                rows.append(
                    {
                        "conference_id": cid,
                        "guid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "title": f"{'Workshop' if workshop else 'Session'} {n + 1}",
                        "abstract": f"What session {n + 1} is about. " * rng.randint(2, 8),
                        "kind": ItemKind.WORKSHOP if workshop else rng.choice(KINDS),
                        "track_id": rng.choice(tracks),
                        "room_id": rooms[room],
                        "starts_at": starts,
                        "ends_at": starts + timedelta(minutes=50),
                        "capacity": rng.randint(20, 40) if workshop else None,
                        "signup_required": workshop,
                        "tags": "heart failure,imaging" if n % 3 else "sepsis",
                    }
                )
    _bulk(ScheduleItem, rows)
    ids = list(
        db.session.scalars(select(ScheduleItem.id).filter_by(conference_id=cid).order_by("id"))
    )
    _bulk(Speaker, [{"conference_id": cid, "name": f"Speaker {n + 1}"} for n in range(len(ids))])
    speakers = db.session.scalars(select(Speaker.id).filter_by(conference_id=cid).order_by("id"))
    pairs = zip(ids, list(speakers), strict=True)
    db.session.execute(item_speakers.insert(), [{"item_id": i, "speaker_id": s} for i, s in pairs])
    workshops = [i for n, i in enumerate(ids) if n % 10 == 0]
    return ids, workshops


def _attendees(cid: int, count: int, password_hash: str, rng: random.Random) -> list[int]:
    users = [
        {"email": _email(n), "name": f"Attendee {n:05d}", "password_hash": password_hash}
        for n in range(count)
    ]
    _bulk(User, users)
    ids = list(db.session.scalars(select(User.id).where(User.email.like("scale-%")).order_by("id")))
    _bulk(Membership, [{"conference_id": cid, "user_id": u, "role": Role.ATTENDEE} for u in ids])
    _bulk(Profile, [_profile_row(uid, rng) for uid in ids])
    offers, seeks = list(Offer), list(Seek)
    _bulk(ProfileOffer, [{"user_id": u, "offer": o} for u in ids for o in _some(offers, rng)])
    _bulk(ProfileSeek, [{"user_id": u, "seek": s} for u in ids for s in _some(seeks, rng)])
    return ids


def _stars_and_seats(users: list[int], items: list[int], workshops: list[int], rng) -> None:
    """~15 stars each; 2 workshop places each, confirmed while seats are left, else waitlisted."""
    _bulk(Star, [{"user_id": u, "item_id": i} for u in users for i in rng.sample(items, 15)])
    capacity = dict(db.session.execute(select(ScheduleItem.id, ScheduleItem.capacity)).all())
    taken = dict.fromkeys(workshops, 0)
    seats = []
    for user in users:
        for item in rng.sample(workshops, 2):
            confirmed = taken[item] < capacity[item]
            taken[item] += confirmed
            status = SeatStatus.CONFIRMED if confirmed else SeatStatus.WAITLISTED
            seats.append({"item_id": item, "user_id": user, "status": status})
    _bulk(Seat, seats)
    for item, count in taken.items():  # 100 small UPDATEs
        db.session.execute(
            ScheduleItem.__table__.update().where(ScheduleItem.id == item).values(seats_taken=count)
        )


def _introductions(cid: int, users: list[int], rng: random.Random) -> None:
    """2,000 accepted introductions (fewer for tiny seeds) between distinct pairs, each with an
    accepted meeting."""
    pairs: set[tuple[int, int]] = set()
    wanted = min(2000, len(users) * (len(users) - 1) // 4)  # a small --scale-attendees still ends
    while len(pairs) < wanted:
        a, b = sorted(rng.sample(users, 2))
        pairs.add((a, b))
    ordered = sorted(pairs)
    accepted = Answer.ACCEPTED
    _bulk(
        Introduction,
        [
            {"conference_id": cid, "person_a_id": a, "person_b_id": b, "requested_by_id": a}
            | {"a_answer": accepted, "b_answer": accepted, "status": IntroductionStatus.ACCEPTED}
            for a, b in ordered
        ],
    )
    intro_ids = db.session.execute(
        select(Introduction.id, Introduction.person_a_id, Introduction.person_b_id)
        .filter_by(conference_id=cid)
        .order_by(Introduction.id)
    ).all()
    meetings = []
    for intro, a, b in intro_ids:
        starts = datetime(2027, 3, 24, 12, tzinfo=UTC) + timedelta(
            days=rng.randrange(DAYS), minutes=15 * rng.randrange(24)
        )
        meetings.append(
            {"conference_id": cid, "introduction_id": intro, "host_id": a, "guest_id": b}
            | {"starts_at": starts, "ends_at": starts + timedelta(minutes=15)}
            | {"status": MeetingStatus.ACCEPTED}
        )
    _bulk(Meeting, meetings)


def _notes(cid: int, items: list[int], users: list[int], rng: random.Random) -> list[int]:
    """300 shared notes of 10 revisions each; returns their item ids."""
    noted = items[::3][:300]
    _bulk(
        SharedNote,
        [{"item_id": i, "conference_id": cid, "revision_count": 10} for i in noted],
    )
    note_ids = db.session.execute(
        select(SharedNote.id).filter_by(conference_id=cid).order_by(SharedNote.id)
    ).scalars()
    paragraph = "- a point someone made about the session, with **emphasis** and `code`\n"
    _bulk(
        NoteRevision,
        [
            {"note_id": note, "number": n, "author_id": rng.choice(users)}
            | {"body": f"# Notes\n\n{paragraph * (n * 3)}"}
            for note in note_ids
            for n in range(1, 11)
        ],
    )
    return noted


def _feeds(users: list[int], secret: str, rng: random.Random) -> list[str]:
    """Personal calendar feeds (like ``turn_on_feed`` makes them); their tokens."""
    salts = [f"{rng.getrandbits(256):064x}" for _ in users]
    _bulk(
        CalendarFeed,
        [
            {"user_id": u, "salt": s, "token_hash": hash_token(make_token(s, secret))}
            for u, s in zip(users, salts, strict=True)
        ],
    )
    return [make_token(s, secret) for s in salts]
