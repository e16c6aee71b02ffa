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
  read-only), so the next request in the same worker reads what the last one wrote even
  before its notification arrives.

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

from flask import Flask, current_app
from sqlalchemy import Engine, event

from confnet.database import began_reading
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
# The watch connection idles for hours: have the kernel notice a dead server within a minute.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
_EXTENSION = "confnet_watch"


class _Notifications:
    """PostgreSQL: LISTEN on a connection of our own (autocommit, outside the pool)."""

    def __init__(self, engine: Engine):
        import psycopg

        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        self.conn = psycopg.connect(*cargs, **{**KEEPALIVES, **cparams}, autocommit=True)
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
        if engine.url.database in (None, "", ":memory:"):
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
        self._counts = {ANY: 0}  # table -> notifications naming it
        event.listen(engine, "commit", self._on_commit)

    def _on_commit(self, conn) -> None:
        if not began_reading(conn):
            with self._lock:
                self._epoch += 1

    def generation(self, tables: tuple[str, ...] = (), wait: float = 0.0) -> tuple | None:
        """A value that moves whenever any of ``tables`` (any table at all when none are named)
        may have changed since the last call, or None when the watch can't tell. ``wait``:
        seconds to wait for a change to be announced, if none has been yet (for tests of other
        processes' changes)."""
        with self._lock:
            if self._pid != os.getpid():
                self._source, self._pid = None, os.getpid()
            if self._source is None and not self._open():
                return None
            try:
                changed = self._source.changed(wait)
            except Exception:
                log.warning("database watch lost its connection", exc_info=True)
                self._drop()
                return None
            if changed is None:
                self._epoch += 1
            else:
                for table in changed:
                    self._counts[table] = self._counts.get(table, 0) + 1
                self._counts[ANY] += len(changed)
            return (self._epoch, *(self._counts.get(table, 0) for table in tables or (ANY,)))

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

    def keep(self, key: Hashable, tables: tuple[str, ...], read: Callable[[], T]) -> T:
        """``read()``, or what it returned for ``key`` before if none of ``tables`` (all that
        ``read`` reads, each in ``WATCHED``) has changed since, and that was at most
        ``KEEP_SECONDS`` ago. ``key`` must name everything else the value depends on."""
        if not WATCHED.issuperset(tables):
            raise ValueError(f"not watched: {sorted(set(tables) - WATCHED)}")
        generation = self.generation(tables)  # before reading: a change after it moves it
        if generation is None:
            return read()
        found = self.kept.find(key)
        if found is not None and found[0] == generation and time.monotonic() < found[1]:
            return found[2]
        value = read()
        self.kept.put(key, (generation, time.monotonic() + KEEP_SECONDS, value))
        return value

    def close(self) -> None:
        with self._lock:
            if self._source is not None and self._pid == os.getpid():
                self._drop()


def init_app(app: Flask, engine: Engine) -> None:
    """Watch the app's database, unless told not to or there is nothing to watch (an
    in-memory SQLite database has no other connection)."""
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    if app.config["WATCH_DATABASE"] and not in_memory:
        app.extensions[_EXTENSION] = DatabaseWatch(engine)


def keep(key: Hashable, tables: tuple[str, ...], read: Callable[[], T]) -> T:
    """``read()``, kept by this app's watch until one of ``tables`` changes (see
    ``DatabaseWatch.keep``); always read when the app watches nothing (``WATCH_DATABASE``)."""
    watch = current_app.extensions.get(_EXTENSION)
    return read() if watch is None else watch.keep(key, tables, read)
