"""Values read from the database, kept by a worker until the tables they read change.

Calendar apps poll personal feeds over and over, and a poll of an unchanged feed is answered
from the feed's key: one small query (``confnet.feeds.versions``). Under load that query is
most of what a 304 costs, though its answer only changes when the tables it reads do; the
programme's state, read by every day page, is the same. So each worker keeps such answers
(``DatabaseWatch.keep``, given the tables the value is read from) together with their
*generation*, which moves whenever another connection may have committed a change to one of
those tables, and keeps them only while it hasn't:

- PostgreSQL: a connection of the worker's own listens on ``confnet_changes``; statement
  triggers on the tables in ``WATCHED`` send a notification naming the table when a
  transaction that wrote it commits (migration 0013). Reading what the server has sent is a
  non-blocking read from that connection's socket, without a round trip.
- SQLite: ``PRAGMA data_version`` on a connection of the worker's own moves when any other
  connection commits, in any process (a change to any table, then).
- The worker's own commits move every generation (anything but a transaction declared
  read-only), as they start and once they are done, so the next request in the same worker
  reads what the last one wrote even before its notification arrives.

A value read inside a request's transaction (``keep(..., conn=)``) is kept only when nothing it
reads changed since that transaction began: on SQLite its snapshot may be older than the
generation, and a value kept from an older snapshot would outlive the change.

A notification reaches the other workers a moment after the commit (milliseconds): a poll in
that moment is answered as it would have been just before the commit, and the next poll sees
the change. What is kept is trusted for ``KEEP_SECONDS`` at most, in case notifications are
lost without the connection noticing (a half-open socket). When the watch can't tell (its
connection failed, an in-memory database) nothing is kept: every call reads.
"""

import contextlib
import logging
import os
import select
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app, has_request_context
from sqlalchemy import Connection, Engine, event

from confnet.database import began_reading, in_memory
from confnet.memo import Memo

T = TypeVar("T")
log = logging.getLogger(__name__)

CHANNEL = "confnet_changes"
# The tables whose changes PostgreSQL announces (migration 0013's triggers): a kept value may
# depend on these only.
WATCHED = frozenset(
    ("calendar_feeds", "seats", "memberships", "conferences", "releases", "programme_stamps")
)
ANY = ""  # the count of every announced change
KEEP_SECONDS = 60.0  # the longest anything kept is trusted without a notification
RETRY_SECONDS = 5.0  # after the watch's connection failed, how long before connecting again
KEPT_VALUES = 20_000  # per worker; a feed's key is a few hundred bytes
# The watch connection idles for hours: have the kernel notice a dead server within a minute,
# and give up connecting to one that doesn't answer (every commit in the worker waits for it).
CONNECTION_OPTIONS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
_EXTENSION = "confnet_watch"
TRIGGER = "confnet_notify_change"  # migration 0013's, on every table in WATCHED
_TRIGGERS = (
    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE t.tgname = %s AND pg_table_is_visible(c.oid)"
)


class _Notifications:
    """PostgreSQL: LISTEN on a connection of our own (autocommit, outside the pool)."""

    def __init__(self, engine: Engine):
        import psycopg

        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        self.conn = psycopg.connect(*cargs, **{**CONNECTION_OPTIONS, **cparams}, autocommit=True)
        # Without the triggers (a database not migrated yet) no notification would ever come.
        found = {row[0] for row in self.conn.execute(_TRIGGERS, (TRIGGER,))}
        if missing := WATCHED - found:
            self.conn.close()
            raise RuntimeError(f"no {TRIGGER} trigger on {sorted(missing)}")
        self.lost = False
        # A server ending the session (shut down, or the backend terminated) says so first, as
        # a FATAL message between queries, which libpq hands to the notice handler; the
        # socket's end may be noticed only later.
        self.conn.add_notice_handler(self._notice)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def _notice(self, diagnostic) -> None:
        if diagnostic.severity_nonlocalized in ("FATAL", "PANIC"):
            self.lost = True

    def changed(self, wait: float) -> set[str] | None:
        """The tables named by notifications that arrived since the last call (waiting up to
        ``wait`` seconds for one). Raises when the connection is gone."""
        from psycopg import OperationalError, pq

        pgconn = self.conn.pgconn
        if wait:
            select.select([pgconn.socket], [], [], wait)
        pgconn.consume_input()
        tables = set()
        while (notification := pgconn.notifies()) is not None:
            tables.add(notification.extra.decode())
        if self.lost or pgconn.status != pq.ConnStatus.OK:
            raise OperationalError("the watch connection is closed")
        return tables

    def close(self) -> None:
        self.conn.close()


class _DataVersion:
    """SQLite: ``PRAGMA data_version`` on a connection of our own."""

    def __init__(self, engine: Engine):
        if in_memory(engine):
            raise ValueError("an in-memory database has no other connections to watch")
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        self.conn = sqlite3.connect(*cargs, **{**cparams, "check_same_thread": False})
        self.version = self._read()

    def _read(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self, wait: float) -> set[str] | None:
        """None (any table may have changed) when another connection committed since the
        last call, else no table."""
        version = self._read()
        changed, self.version = version != self.version, version
        return None if changed else set()

    def close(self) -> None:
        self.conn.close()


class DatabaseWatch:
    """Tells whether the database may have changed, and keeps values until it has.

    Thread-safe; opens its connection lazily in each process (a worker forked from a process
    that had one opens its own)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.kept: Memo[tuple] = Memo(KEPT_VALUES)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._source: _Notifications | _DataVersion | None = None
        self._failed_at = float("-inf")
        self._epoch = 0  # moves when anything may have changed
        # table -> notifications naming it; replaced, never changed in place (transactions
        # keep a reference to the one they began with)
        self._counts = {ANY: 0}
        # Connection.info keys, this watch's own: (epoch, counts) when the connection's
        # transaction began; whether it wrote and committed.
        self._began_key = ("confnet.watch.began", id(self))
        self._wrote_key = ("confnet.watch.wrote", id(self))
        self._listeners = (
            ("begin", self._on_begin),
            ("commit", self._on_commit),
            ("checkin", self._on_checkin),
        )
        for name, listener in self._listeners:
            event.listen(engine, name, listener)

    def _on_begin(self, conn) -> None:
        with self._lock:
            # Connecting from a request only: elsewhere this may be a migration creating the
            # tables and triggers the watch looks for.
            polled = self._poll(0.0, connect=has_request_context())
            began = (self._epoch, self._counts) if polled else None
        conn.info[self._began_key] = began

    def _on_commit(self, conn) -> None:
        # Before the commit: this worker's next request reads what it wrote. And once it is
        # done (the connection goes back to the pool), again: another thread may have read
        # and kept the old rows in between.
        if not began_reading(conn):
            conn.info[self._wrote_key] = True
            self._bump()

    def _on_checkin(self, _dbapi_conn, record) -> None:
        if record is not None and record.info.pop(self._wrote_key, False):
            self._bump()

    def _bump(self) -> None:
        with self._lock:
            self._epoch += 1

    def generation(self, tables: tuple[str, ...] = (), wait: float = 0.0) -> tuple | None:
        """A value that moves whenever any of ``tables`` (any table at all when none are named)
        may have changed since the last call, or None when the watch can't tell. ``wait``:
        seconds to wait for a change to be announced, if none has been yet (for tests of other
        processes' changes)."""
        with self._lock:
            return _generation(self._epoch, self._counts, tables) if self._poll(wait) else None

    def _poll(self, wait: float, connect: bool = True) -> bool:
        """Take in what changed since the last poll (under the lock); False when the watch
        can't tell. ``connect``: open the watch's connection if it has none."""
        if self._pid != os.getpid():
            self._source, self._pid = None, os.getpid()
        if self._source is None and not (connect and self._open()):
            return False
        try:
            changed = self._source.changed(wait)
        except Exception:
            log.warning("database watch lost its connection", exc_info=True)
            self._drop()
            return False
        if changed is None:
            self._epoch += 1
        elif changed:
            counts = dict(self._counts)
            for table in changed:
                counts[table] = counts.get(table, 0) + 1
            counts[ANY] += len(changed)
            self._counts = counts
        return True

    def _open(self) -> bool:
        if time.monotonic() - self._failed_at < RETRY_SECONDS:
            return False
        source = _Notifications if self.engine.dialect.name == "postgresql" else _DataVersion
        try:
            self._source = source(self.engine)
        except Exception:
            log.warning("database watch can't connect: nothing is kept", exc_info=True)
            self._failed_at = time.monotonic()
            return False
        self._epoch += 1  # what was kept before this connection can't be trusted
        return True

    def _drop(self) -> None:
        with contextlib.suppress(Exception):  # it is gone already
            self._source.close()
        self._source, self._failed_at = None, time.monotonic()

    def keep(
        self,
        key: Hashable,
        tables: tuple[str, ...],
        read: Callable[[], T],
        conn: Connection | None = None,
    ) -> T:
        """``read()``, or what it returned for ``key`` before if none of ``tables`` (all that
        ``read`` reads, each in ``WATCHED``) has changed since, and that was at most
        ``KEEP_SECONDS`` ago. ``key`` must name everything else the value depends on.
        ``conn``: the connection ``read`` reads on, if its transaction may have begun before
        this call (a request's session); else ``read`` must see the latest commits."""
        if not WATCHED.issuperset(tables):
            raise ValueError(f"not watched: {sorted(set(tables) - WATCHED)}")
        generation = self.generation(tables)  # before reading: a change after it moves it
        if generation is None:
            return read()
        if conn is not None and self._began(conn, tables) != generation:
            return read()  # its snapshot may predate a change: nothing to keep, nor to take
        found = self.kept.find(key)
        if found is not None and found[0] == generation and time.monotonic() < found[1]:
            return found[2]
        value = read()
        self.kept.put(key, (generation, time.monotonic() + KEEP_SECONDS, value))
        return value

    def _began(self, conn: Connection, tables: tuple[str, ...]) -> tuple | None:
        """The generation of ``tables`` when ``conn``'s transaction began."""
        began = conn.info.get(self._began_key)
        return None if began is None else _generation(*began, tables)

    def close(self) -> None:
        """Close the watch's connection and stop listening to the engine."""
        for name, listener in self._listeners:
            if event.contains(self.engine, name, listener):
                event.remove(self.engine, name, listener)
        with self._lock:
            if self._source is not None and self._pid == os.getpid():
                self._drop()


def _generation(epoch: int, counts: dict[str, int], tables: tuple[str, ...]) -> tuple:
    return (epoch, *(counts.get(table, 0) for table in tables or (ANY,)))


def init_app(app: Flask, engine: Engine) -> None:
    """Watch the app's database, unless told not to or there is nothing to watch (an
    in-memory SQLite database has no other connection)."""
    if app.config["WATCH_DATABASE"] and not in_memory(engine):
        app.extensions[_EXTENSION] = DatabaseWatch(engine)


def keep(
    key: Hashable,
    tables: tuple[str, ...],
    read: Callable[[], T],
    conn: Connection | None = None,
) -> T:
    """``read()``, kept by this app's watch until one of ``tables`` changes (see
    ``DatabaseWatch.keep``); always read when the app watches nothing (``WATCH_DATABASE``)."""
    watch = current_app.extensions.get(_EXTENSION)
    return read() if watch is None else watch.keep(key, tables, read, conn)
