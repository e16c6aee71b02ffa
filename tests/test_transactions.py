"""How requests end their transactions (confnet.transactions): reads commit, so that
PostgreSQL keeps its prepared statements, and nothing a request wrote without committing is
ever saved by that."""

from flask import Response
from sqlalchemy import event, select

from confnet.extensions import db
from confnet.models import User
from confnet.transactions import commit_reads


def ends(app, action) -> list[str]:
    """How each transaction ended while ``action`` ran ("commit" or "rollback")."""
    seen: list[str] = []
    listeners = {
        name: (lambda _conn, name=name: seen.append(name)) for name in ("commit", "rollback")
    }
    for name, listener in listeners.items():
        event.listen(db.engine, name, listener)
    try:
        action()
    finally:
        for name, listener in listeners.items():
            event.remove(db.engine, name, listener)
    return seen


def test_a_page_read_ends_with_commit(app, client, make):
    make.conference("medconf")
    db.session.commit()
    assert ends(app, lambda: client.get("/c/medconf/")) == ["commit"]


def test_a_failed_read_still_rolls_back(app, client):
    assert ends(app, lambda: client.get("/c/no-such-conference/")) == ["rollback"]


def test_a_read_that_wrote_without_committing_saves_nothing(app, make):
    make.user(email="before@example.org")
    db.session.commit()
    with app.test_request_context("/", method="GET"):
        flushed = make.user(email="flushed@example.org")  # written, not committed
        db.session.flush()
        commit_reads(Response())
        db.session.rollback()
        assert flushed not in db.session
    with app.test_request_context("/", method="GET"):
        db.session.scalar(select(User).filter_by(email="before@example.org")).name = "Changed"
        commit_reads(Response())  # a change not even flushed
        db.session.rollback()
    emails = set(db.session.scalars(select(User.email)))
    assert "flushed@example.org" not in emails
    assert db.session.scalar(select(User.name).filter_by(email="before@example.org")) != "Changed"


def test_a_read_that_wrote_nothing_commits(app, make):
    make.user(email="reader@example.org")
    db.session.commit()
    with app.test_request_context("/", method="GET"):
        db.session.scalar(select(User).filter_by(email="reader@example.org"))
        assert ends(app, lambda: commit_reads(Response())) == ["commit"]
