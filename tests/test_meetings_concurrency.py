"""Clashes are refused under real concurrency: requests in threads against the same database
(SQLite or PostgreSQL), released at the same moment by a barrier."""

import sqlite3
import threading
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from helpers import csrf
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from confnet.database import write_intent
from confnet.extensions import db
from confnet.introductions.moderation import block_person
from confnet.models import Meeting, MeetingStatus, User

AMS = ZoneInfo("Europe/Amsterdam")
SAT = date(2027, 3, 27)
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
ROUNDS = 4


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(SAT, time(hour, minute), AMS).astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr("confnet.meetings.views.utcnow", lambda: NOW)


@pytest.fixture
def trio(make):
    """Bob is connected to Anna and to Carl."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    anna, bob, carl = (make.user(name=name) for name in ("Anna", "Bob", "Carl"))
    for person in (anna, bob, carl):
        make.member(person, conference)
    return (
        conference,
        anna,
        bob,
        carl,
        make.introduction(conference, anna, bob),
        (make.introduction(conference, carl, bob)),
    )


def browser(app, user):
    client = app.test_client()
    client.post(
        "/log-in",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": csrf(client)},
    )
    return client, csrf(client, "/account/profile")


def at_once(app, calls) -> list[int]:
    """Run ``calls`` (client, path, data) in threads released together; their statuses."""
    start, statuses = threading.Barrier(len(calls)), []

    def run(client, path, data):
        with app.app_context():
            start.wait(timeout=30)
            statuses.append(client.post(path, data=data).status_code)

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def proposal(conference, intro, host, guest, starts, ends) -> Meeting:
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=intro.id,
        host_id=host.id,
        guest_id=guest.id,
        awaiting_id=guest.id,
        starts_at=starts,
        ends_at=ends,
        place="Hall",
    )
    db.session.add(meeting)
    return meeting


def test_two_overlapping_meetings_accepted_at_the_same_moment_only_one_is(app, trio):
    conference, anna, bob, carl, with_anna, with_carl = trio
    pairs = []
    for n in range(ROUNDS):  # overlapping proposals from before either was accepted
        first = proposal(conference, with_anna, anna, bob, at(9 + 2 * n), at(9 + 2 * n, 30))
        second = proposal(conference, with_carl, carl, bob, at(9 + 2 * n, 15), at(9 + 2 * n, 45))
        pairs.append((first, second))
    db.session.commit()
    ids = [(first.id, second.id) for first, second in pairs]
    (one, token_one), (two, token_two) = browser(app, bob), browser(app, bob)
    for first, second in ids:
        statuses = at_once(
            app,
            [
                (one, f"/c/medconf/meetings/{first}/accept", {"csrf_token": token_one}),
                (two, f"/c/medconf/meetings/{second}/accept", {"csrf_token": token_two}),
            ],
        )
        assert statuses == [302, 302]
    db.session.rollback()
    for first, second in ids:
        states = sorted(db.session.get(Meeting, i).status.value for i in (first, second))
        assert states == ["accepted", "proposed"]


def test_two_people_booking_the_same_person_at_the_same_time_make_one_meeting(app, trio):
    conference, anna, bob, carl, with_anna, with_carl = trio
    db.session.commit()
    (annas, anna_token), (carls, carl_token) = browser(app, anna), browser(app, carl)
    for n in range(ROUNDS):
        fields = {
            "day": "2027-03-27",
            "clock": f"{10 + n}:00",
            "minutes": "30",
            "point": "other",
            "place": "Hall",
        }
        statuses = at_once(
            app,
            [
                (
                    annas,
                    f"/c/medconf/meetings/book/{with_anna.id}",
                    {**fields, "csrf_token": anna_token},
                ),
                (
                    carls,
                    f"/c/medconf/meetings/book/{with_carl.id}",
                    {**fields, "csrf_token": carl_token},
                ),
            ],
        )
        assert sorted(statuses) == [302, 400]  # the second is told Bob isn't free then
    db.session.rollback()
    made = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    assert [m.starts_at for m in made] == [at(10 + n) for n in range(ROUNDS)]
    assert all(m.status is MeetingStatus.PROPOSED and m.guest_id == bob.id for m in made)


def can_take(user_id: int) -> bool:
    """Whether another connection could start changing ``user_id``'s things right now, without
    waiting: lock their row (PostgreSQL) or take the database's write lock (SQLite)."""
    if db.engine.dialect.name == "sqlite":
        raw = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            raw.close()
    row = select(User.id).where(User.id == user_id).with_for_update(key_share=True, nowait=True)
    with db.engine.connect() as other:
        try:
            other.execute(row).all()
            return True
        except OperationalError:
            return False


def test_a_block_holds_both_people_until_it_is_committed(app, trio):
    """Whatever the two are doing at that moment (booking, accepting, asking for or brokering an
    introduction) waits for the block and then sees it: blocking locks both people's rows."""
    conference, anna, bob, carl, with_anna, with_carl = trio
    db.session.commit()
    assert can_take(anna.id) and can_take(bob.id)
    with write_intent():
        block_person(bob, anna, now=NOW)  # not committed yet
        assert not can_take(anna.id) and not can_take(bob.id)
        if db.engine.dialect.name != "sqlite":  # one write lock for everybody on SQLite
            assert can_take(carl.id)
        db.session.commit()
    assert can_take(anna.id) and can_take(bob.id)
