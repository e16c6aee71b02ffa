"""What a worker keeps until the database changes (confnet.watch): a personal feed's key. Changes
made outside the worker (here: a connection of the test's own, as another process would) reach
its next poll; so do its own; a lost watch connection keeps nothing."""

from datetime import date

import pytest
from helpers import counting_queries
from sqlalchemy import create_engine, event

from confnet import watch
from confnet.database import reset_write_intent, set_write_intent, utcnow
from confnet.extensions import db
from confnet.feeds import services
from confnet.models import ItemKind, Seat, SeatStatus
from confnet.watch import DatabaseWatch

TABLES = ("conferences",)
SECRET = "test-secret-key"  # the test app's SECRET_KEY (tests/helpers.py)
ANNOUNCED = 10.0  # seconds a notification may take to arrive (it takes milliseconds)


def app_watch(app) -> DatabaseWatch:
    return app.extensions["confnet_watch"]


def commit_elsewhere(sql: str, params: tuple) -> None:
    """Run ``sql`` (with ``?`` placeholders) on a connection outside the app's engine, and
    commit: to the app, a change made by another process."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(url.database, timeout=30)
    else:
        import psycopg

        cargs, cparams = db.engine.dialect.create_connect_args(url)
        conn = psycopg.connect(*cargs, **cparams)
        sql = sql.replace("?", "%s")
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def session_and_feed(make):
    """A published session, and the personal feed of an attendee who hasn't starred it."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    item = make.item(conference, title="Sepsis in the first hour")
    make.publish(conference)
    user = make.user(name="Dr. Lotte van Dijk")
    make.member(user, conference)
    feed = services.turn_on_feed(user, secret=SECRET, now=utcnow())
    db.session.commit()
    return item, user, f"/feeds/{services.make_token(feed.salt, SECRET)}.ics"


def test_a_feed_polled_again_is_answered_without_a_query(client, session_and_feed):
    _, _, path = session_and_feed
    etag = client.get(path).headers["ETag"]
    client.get(path, headers={"If-None-Match": etag})
    with counting_queries() as statements:
        again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert statements == []


def test_a_star_committed_by_another_process_reaches_the_next_poll(app, client, session_and_feed):
    item, user, path = session_and_feed
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert b"Sepsis in the first hour" not in first.data

    before = app_watch(app).generation()
    commit_elsewhere(
        "INSERT INTO stars (user_id, item_id, created_at) VALUES (?, ?, ?)",
        (user.id, item.id, "2027-03-01 00:00:00"),
    )
    assert app_watch(app).generation(wait=ANNOUNCED) != before  # announced to this worker

    after = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != first.headers["ETag"]
    assert b"Sepsis in the first hour" in after.data


def test_a_revoked_feed_is_gone_at_the_next_poll(app, client, session_and_feed):
    _, user, path = session_and_feed
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    before = app_watch(app).generation()
    commit_elsewhere("DELETE FROM calendar_feeds WHERE user_id = ?", (user.id,))
    assert app_watch(app).generation(wait=ANNOUNCED) != before
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 404


class Counter:
    """A read that answers how many times it was made."""

    def __init__(self):
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_the_workers_own_writes_move_the_generation_and_its_reads_do_not(app, make):
    watched = app_watch(app)
    start = watched.generation()
    token = set_write_intent(False)
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
            conn.commit()  # a page's read-only transaction
    finally:
        reset_write_intent(token)
    assert watched.generation() == start
    make.user()
    db.session.commit()
    assert watched.generation() != start  # without waiting for any notification


def test_a_value_is_kept_until_the_database_changes(app, make):
    read = Counter()
    assert watch.keep("answer", TABLES, read) == 1
    assert watch.keep("answer", TABLES, read) == 1
    assert watch.keep("other", TABLES, read) == 2  # keys are apart
    make.user()
    db.session.commit()
    assert watch.keep("answer", TABLES, read) == 3


def lose_connection(watched: DatabaseWatch) -> None:
    """On PostgreSQL the server ends the watch's session (as when it shuts down); SQLite has no
    server: its connection is closed."""
    source = watched._source
    if db.engine.dialect.name == "postgresql":
        commit_elsewhere("SELECT pg_terminate_backend(?)", (source.conn.info.backend_pid,))
    else:
        source.conn.close()


def test_a_lost_watch_connection_keeps_nothing_until_it_is_back(app, monkeypatch):
    watched = DatabaseWatch(db.engine)
    read = Counter()
    assert watched.keep("answer", TABLES, read) == 1
    assert watched.keep("answer", TABLES, read) == 1
    lose_connection(watched)
    assert watched.generation(wait=ANNOUNCED) is None
    assert [watched.keep("answer", TABLES, read) for _ in range(2)] == [2, 3]  # nothing trusted
    monkeypatch.setattr(watch, "RETRY_SECONDS", 0.0)
    assert watched.keep("answer", TABLES, read) == 4  # connected again: read once more, then kept
    assert watched.keep("answer", TABLES, read) == 4
    watched.close()


def test_an_in_memory_database_keeps_nothing():
    watched = DatabaseWatch(create_engine("sqlite://"))
    read = Counter()
    assert [watched.keep("answer", TABLES, read) for _ in range(3)] == [1, 2, 3]
    assert watched.generation() is None


def test_a_value_is_trusted_for_a_minute_at_most(app, monkeypatch):
    watched = DatabaseWatch(db.engine)
    read = Counter()
    assert watched.keep("answer", TABLES, read) == 1
    now = watch.time.monotonic()
    monkeypatch.setattr(watch.time, "monotonic", lambda: now + watch.KEEP_SECONDS + 1)
    assert watched.keep("answer", TABLES, read) == 2
    watched.close()


# A change to each watched table, made from outside (setting a column to itself changes
# nothing: SQLite doesn't even write it).
TOUCH = {
    "calendar_feeds": "changes = changes + 1",
    "seats": "rank = rank + 1",
    "memberships": "role = 'speaker'",
    "conferences": "name = name || '!'",
    "releases": "number = number + 100",
    "programme_stamps": "token = substr(token, 2) || '!'",
}


def test_every_watched_table_announces_its_changes(app, make):
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    workshop = make.item(conference, kind=ItemKind.WORKSHOP, capacity=10, signup_required=True)
    make.publish(conference)
    user = make.user()
    make.member(user, conference)
    db.session.add(Seat(item_id=workshop.id, user_id=user.id, status=SeatStatus.CONFIRMED))
    services.turn_on_feed(user, secret=SECRET, now=utcnow())
    db.session.commit()
    watched = app_watch(app)
    assert set(TOUCH) == watch.WATCHED
    for table, change in TOUCH.items():
        before = watched.generation((table,))
        commit_elsewhere(f"UPDATE {table} SET {change}", ())
        assert watched.generation((table,), wait=ANNOUNCED) != before, table


def test_a_value_is_kept_through_changes_to_tables_it_does_not_read(app, make):
    """PostgreSQL's notifications name the table; SQLite only tells that something changed."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    db.session.commit()
    releases, names = Counter(), Counter()
    watch.keep("latest release", ("releases",), releases)
    watch.keep("names", ("conferences",), names)
    before = app_watch(app).generation()
    commit_elsewhere("UPDATE conferences SET name = ? WHERE id = ?", ("Renamed", conference.id))
    assert app_watch(app).generation(wait=ANNOUNCED) != before
    watch.keep("latest release", ("releases",), releases)
    watch.keep("names", ("conferences",), names)
    assert names.count == 2
    assert releases.count == (1 if db.engine.dialect.name == "postgresql" else 2)


def test_a_value_read_from_a_table_nobody_watches_is_refused(app):
    with pytest.raises(ValueError, match="not watched"):
        watch.keep("answer", ("stars",), Counter())


def begin_reading(conn) -> None:
    """Begin ``conn``'s transaction with a read: on SQLite its snapshot is taken here."""
    conn.exec_driver_sql("SELECT count(*) FROM conferences").scalar()


def rename_elsewhere(app, conference) -> None:
    before = app_watch(app).generation()
    commit_elsewhere("UPDATE conferences SET name = name || '!' WHERE id = ?", (conference.id,))
    assert app_watch(app).generation(wait=ANNOUNCED) != before


def test_a_value_read_in_a_transaction_older_than_a_change_is_not_kept(app, make):
    """A day page's transaction began (and, on SQLite, took its snapshot) before an organizer
    published: what it reads of the programme may be the old one, so it mustn't be kept."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    db.session.commit()
    read = Counter()
    conn = db.session.connection()
    begin_reading(conn)
    rename_elsewhere(app, conference)
    assert watch.keep("names", TABLES, read, conn) == 1
    db.session.rollback()
    conn = db.session.connection()
    assert [watch.keep("names", TABLES, read, conn) for _ in range(2)] == [2, 2]


def test_a_transaction_older_than_a_kept_value_reads_for_itself(app, make):
    """Mixing a newer kept value with an older snapshot's reads would file the old rooms under
    the new programme's key (threads of one worker, as with ``flask run``)."""
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    db.session.commit()
    read = Counter()
    with db.engine.connect() as older:
        begin_reading(older)
        rename_elsewhere(app, conference)
        assert watch.keep("names", TABLES, read) == 1  # kept, read after the change
        assert watch.keep("names", TABLES, read, older) == 2
        older.rollback()
    assert watch.keep("names", TABLES, read) == 1


def test_a_write_moves_the_generation_again_once_committed(app, make):
    """Between a commit's start and its end another thread may read, and keep, the old rows."""
    watched = app_watch(app)
    during = []

    def note(_conn):  # runs after the watch's own listener: the commit hasn't happened yet
        during.append(watched.generation())

    event.listen(db.engine, "commit", note)
    try:
        make.user()
        db.session.commit()
    finally:
        event.remove(db.engine, "commit", note)
    assert len(during) == 1 and watched.generation() != during[0]


def test_a_database_without_the_change_triggers_keeps_nothing(app):
    """PostgreSQL: with a table's trigger missing (a database not migrated yet), no change to it
    would ever be announced, so nothing may be kept. SQLite needs no triggers."""
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        commit_elsewhere(f"DROP TRIGGER {watch.TRIGGER} ON seats", ())
    watched = DatabaseWatch(db.engine)
    try:
        read = Counter()
        counts = [watched.keep("answer", TABLES, read) for _ in range(2)]
        assert counts == ([1, 2] if postgres else [1, 1])
    finally:
        watched.close()
        if postgres:
            commit_elsewhere(
                f"CREATE TRIGGER {watch.TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON seats FOR EACH STATEMENT EXECUTE FUNCTION confnet_notify_change()",
                (),
            )
