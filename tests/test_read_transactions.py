"""Transactions of requests that only read: they refuse writes on both databases, and on
PostgreSQL hold no transaction open on the server (no BEGIN and COMMIT round trips)."""

import pytest
from sqlalchemy import create_engine, select, text

from confnet.database import (
    WriteWithoutIntent,
    configure_engine,
    reset_write_intent,
    set_write_intent,
    write_intent,
)
from confnet.extensions import db
from confnet.models import User


@pytest.fixture
def engine(database_uri):
    engine = create_engine(database_uri, pool_size=1, max_overflow=0)
    configure_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def reading():
    """Only reading declared, as for a GET."""
    token = set_write_intent(False)
    yield
    reset_write_intent(token)


def _server_transaction_open(conn) -> bool:
    driver = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return driver.in_transaction
    return driver.info.transaction_status != 0  # psycopg: 0 is idle, outside a transaction


def test_a_declared_read_holds_a_transaction_only_on_sqlite(engine, reading):
    """SQLite reads in one snapshot (BEGIN); PostgreSQL reads committed data statement by
    statement either way, so it skips BEGIN and COMMIT."""
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
        assert _server_transaction_open(conn) is (engine.dialect.name == "sqlite")


@pytest.mark.parametrize("intent", [True, None], ids=["write intent", "undeclared"])
def test_writes_and_undeclared_work_get_a_transaction(engine, intent):
    token = set_write_intent(intent)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            assert _server_transaction_open(conn)
            conn.rollback()
    finally:
        reset_write_intent(token)


def test_a_write_in_a_declared_read_is_refused_and_leaves_nothing(app, make, reading):
    """A GET that writes without opening a write transaction first is a bug: it fails."""
    with app.app_context():
        with write_intent():
            user = make.user(email="kept@example.org")
            db.session.commit()
        before = user.name
        with pytest.raises(WriteWithoutIntent):
            user.name = "Changed in a read"
            db.session.flush()
        db.session.rollback()
        with pytest.raises(WriteWithoutIntent):  # written SQL is caught as well
            db.session.execute(text("  update users set name = 'Changed in text'"))
        db.session.rollback()
        with write_intent():  # a write transaction of its own, as views do
            assert db.session.scalar(select(User.name).where(User.id == user.id)) == before
            user.name = "Changed properly"
            db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, user.id).name == "Changed properly"
