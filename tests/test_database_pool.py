"""Pooled connections: one that died while idle is replaced before a request gets it, and one
used a moment ago is handed out without a round trip to the server."""

import pytest
from sqlalchemy import create_engine, text

from confnet.database import ping_idle_connections


@pytest.fixture
def engine(database_uri):
    engine = create_engine(database_uri, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _pings(engine, monkeypatch) -> list:
    calls = []
    ping = engine.dialect.do_ping

    def counted(dbapi_conn):
        calls.append(dbapi_conn)
        return ping(dbapi_conn)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return calls


def _close_underneath(engine) -> None:
    """Close the pooled connection's own DBAPI connection while it waits in the pool, as a
    server restart would."""
    with engine.connect() as conn:
        dbapi_connection = conn.connection.dbapi_connection
    dbapi_connection.close()


def test_an_idle_connection_closed_underneath_is_replaced(engine, monkeypatch):
    ping_idle_connections(engine, idle_seconds=0)
    pings = _pings(engine, monkeypatch)
    _close_underneath(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    assert pings  # the dead connection was found by the ping, not by the query


def test_a_connection_used_a_moment_ago_is_not_pinged(engine, monkeypatch):
    ping_idle_connections(engine, idle_seconds=3600)
    pings = _pings(engine, monkeypatch)
    for _ in range(3):
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert pings == []
