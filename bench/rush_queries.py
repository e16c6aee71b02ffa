"""SQL statements per request of the rush's endpoints, counted in-process after the checks.

A sign-up changes what the checks read, so the count comes last: one more attendee, who took
no part in the rush, is added and goes through the same four requests with the Flask test
client on the same database (a ``before_cursor_execute`` listener counts them): the log-in page,
the log-in, the session page, and a sign-up to the full workshop, which gives a waitlist place
as it did to every sign-up after the last seat.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from bench.load import LoadError
from bench.scale_queries import counted, in_process
from bench.seed import EMAIL_DOMAIN, RushData
from confnet.database import write_intent
from confnet.extensions import db
from confnet.models import Conference, Membership, Role, User

EMAIL = f"rush-counted@{EMAIL_DOMAIN}"


def count_rush_queries(uri: str, secret: str, data: RushData) -> dict[str, int]:
    """``{endpoint name as in the table: queries}`` for one attendee's way through the rush."""
    with in_process(uri, secret) as (app, engine):
        _add_attendee(app, data)
        client = app.test_client()
        client.get("/log-in")  # warm-up: templates and caches, as a running server has them
        form = {"email": EMAIL, "password": data.password}
        requests = {
            "GET /log-in": (lambda: client.get("/log-in"), 200),
            "POST /log-in": (lambda: client.post("/log-in", data=form), 302),
            "GET session page": (lambda: client.get(data.session_path), 200),
            "POST sign-up": (lambda: client.post(data.signup_path), 302),
        }
        counts = {
            name: counted(engine, name, request, status)
            for name, (request, status) in requests.items()
        }
    return counts


def _add_attendee(app: Flask, data: RushData) -> None:
    """A member of the rush's conference with the rush attendees' password. Commits."""
    with app.app_context(), write_intent():
        conference_id = db.session.scalar(select(Conference.id).where(Conference.slug == data.slug))
        shared_hash = db.session.scalar(
            select(User.password_hash).where(User.email == data.emails[0])
        )
        if conference_id is None or shared_hash is None:
            raise LoadError("the rush's conference or attendees are missing")
        user = User(email=EMAIL, name="Counted Attendee", password_hash=shared_hash)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(conference_id=conference_id, user_id=user.id, role=Role.ATTENDEE))
        db.session.commit()
        db.session.remove()
