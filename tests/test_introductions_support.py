"""Helpers shared by the test_introductions_* modules (no tests here)."""

from datetime import UTC, datetime

from helpers import csrf
from sqlalchemy import select

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.models import Notification, Role, User
from confnet.notify import silent_messenger

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


def member(make, conference, name: str | None = None, role=Role.ATTENDEE, **profile) -> User:
    """A member of ``conference`` with a profile (``profile`` fields, e.g. organization)."""
    user = make.user(name=name)
    make.member(user, conference, role)
    make.profile(user, **profile)
    return user


def client_for(app, user: User, password: str):
    """A new logged-in client for ``user`` (several people can act side by side)."""
    client = app.test_client()
    data = {"email": user.email, "password": password, "csrf_token": csrf(client)}
    response = client.post("/log-in", data=data)
    assert response.status_code == 302
    return client


def token(client) -> str:
    """A CSRF token of ``client``'s session, from the log-out page (or, for someone not logged
    in, the log-in page)."""
    logged_in = client.get("/log-out").status_code == 200
    return csrf(client, "/log-out" if logged_in else "/log-in")


def send(client, path: str, data: dict | None = None, **kwargs):
    """POST ``data`` with a valid CSRF token."""
    return client.post(path, data={**(data or {}), "csrf_token": token(client)}, **kwargs)


def notes_of(user: User) -> list[str]:
    """The texts of ``user``'s notifications, oldest first."""
    query = select(Notification.text).filter_by(user_id=user.id).order_by(Notification.id)
    return list(db.session.scalars(query))


def teller() -> Teller:
    """Stores notifications, sends no email; paths are recognisable in assertions."""
    return Teller(
        silent_messenger(),
        inbox="/inbox",
        connection=lambda intro: f"/connection/{intro.id}",
        reports="/reports",
    )
