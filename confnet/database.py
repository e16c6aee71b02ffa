"""Database glue that must behave the same on SQLite and PostgreSQL.

- ``UTCDateTime`` stores aware UTC datetimes (``timestamptz`` on PostgreSQL, naive UTC text on
  SQLite) and always hands back aware UTC datetimes.
- SQLite connections get foreign keys, WAL and a busy timeout. Write requests start their
  transaction with ``BEGIN IMMEDIATE`` so that concurrent writers queue on the database lock
  instead of failing half-way (see ``write_intent``).
- A pooled server connection that sat unused for a while is checked before it is handed out
  (``ping_idle_connections``).
- A transaction begun where only reading was declared refuses writes
  (``refuse_writes_in_reads``); on PostgreSQL it runs in the driver's autocommit mode
  (``autocommit_reads``): no BEGIN and COMMIT round trips around a page's reads.
"""

from __future__ import annotations

import contextvars
import enum
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, Enum, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import TypeDecorator

# True: the transactions begun from now on will write; False: declared to only read (a safe
# request); None: not declared (CLI commands, tests, migrations), an ordinary transaction.
_write_intent: contextvars.ContextVar[bool | None] = contextvars.ContextVar(
    "write_intent", default=None
)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime column; naive values are rejected."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def set_write_intent(flag: bool) -> contextvars.Token:
    """Declare whether the transactions started from now on in this context will write."""
    return _write_intent.set(flag)


def reset_write_intent(token: contextvars.Token) -> None:
    """Undo the ``set_write_intent`` that returned ``token`` (or, from another context, declare
    no intent)."""
    try:
        _write_intent.reset(token)
    except ValueError:
        _write_intent.set(None)


@contextmanager
def write_intent():
    """Run a block whose transactions write (CLI commands, background jobs, tests)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


# A connection used this recently is handed out unchecked (see ``ping_idle_connections``).
IDLE_PING_SECONDS = 10.0


def ping_idle_connections(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Before the pool hands out a connection that was unused for ``idle_seconds`` or more,
    ask the server whether it is still there (a restart, a failover or an idle timeout may
    have closed it); a dead one is replaced by a new one, so no request fails on it.

    Why not ``pool_pre_ping``: it asks before *every* checkout, a round trip to the server on
    every request, while under load a worker's connection was used milliseconds ago. A server
    that goes away while a worker is busy still costs that worker's next request (which fails
    and makes the pool start afresh), as with any pooled connection.
    """

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("an idle connection was closed") from error


class WriteWithoutIntent(RuntimeError):
    """A statement that writes was sent in a transaction begun where only reading was declared
    (a bug: declare the intent first, see ``write_intent``)."""


# An execution option for a connection that sends a single read statement (a feed poll): on
# SQLite it needs no BEGIN (a statement outside a transaction is atomic by itself).
ONE_STATEMENT = "confnet_one_statement"
_READING = "confnet.reading"  # Connection.info: this transaction was declared read-only
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE "})


def _declared_read(conn) -> bool:
    # Connections given an isolation level of their own (a consistent backup, a feed poll in
    # autocommit) chose their transaction themselves.
    return _write_intent.get() is False and "isolation_level" not in conn.get_execution_options()


def began_reading(conn) -> bool:
    """Whether ``conn``'s current (or last) transaction was begun declared read-only."""
    return bool(conn.info.get(_READING))


def refuse_writes_in_reads(engine: Engine) -> None:
    """Refuse INSERT, UPDATE and DELETE in a transaction begun where only reading was declared
    (a GET or HEAD, see ``confnet.security``). Every write path declares its intent: unsafe
    methods do, and GETs that record something open a transaction of their own under
    ``write_intent``. A write without it would upgrade a read lock on SQLite (and may then fail
    on a busy database) and commit statement by statement on PostgreSQL (``autocommit_reads``):
    it fails loudly instead, on both databases alike."""

    @event.listens_for(engine, "begin")
    def _note_reading(conn):
        conn.info[_READING] = _declared_read(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_writes(conn, _cursor, statement, _parameters, context, _executemany):
        if not conn.info.get(_READING):
            return
        compiled_write = context is not None and (
            context.isinsert or context.isupdate or context.isdelete
        )
        if compiled_write or statement.lstrip()[:6].upper() in _WRITES:  # text() too
            raise WriteWithoutIntent(f"write without write intent: {statement[:80]}")


def autocommit_reads(engine: Engine) -> None:
    """PostgreSQL: run each transaction begun where only reading was declared in the driver's
    autocommit mode. A page's reads were wrapped in BEGIN and COMMIT, two round trips of the
    ten or so a page makes, which bought nothing: under READ COMMITTED (the default) each
    statement sees its own snapshot inside a transaction too. Switching costs no round trip."""

    @event.listens_for(engine, "begin")
    def _choose_mode(conn):
        if "isolation_level" in conn.get_execution_options():
            return  # set by SQLAlchemy, which also restores it
        reading = _write_intent.get() is False
        driver = conn.connection.driver_connection
        if driver.autocommit != reading and not driver.info.transaction_status:
            driver.autocommit = reading  # only while idle (status 0)


def in_memory(engine: Engine) -> bool:
    """Whether ``engine`` is an in-memory SQLite database (one connection, nothing to share)."""
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


def configure_engine(engine: Engine) -> None:
    """Install the per-dialect connection behaviour described in the module docstring."""
    refuse_writes_in_reads(engine)
    if engine.dialect.name != "sqlite":
        ping_idle_connections(engine)
        autocommit_reads(engine)
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is unreliable).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not in_memory(engine):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get(ONE_STATEMENT):
            return  # one statement is atomic and sees one state by itself
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def enum_type(enum_cls: type[enum.Enum]) -> Enum:
    """A portable enum column type: stores the members' values in a VARCHAR."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
