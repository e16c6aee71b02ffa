"""Benchmark data, written straight into a freshly migrated database.

Attendees share one password hash (scrypt is slow on purpose, see confnet/demo.py) and are
inserted in bulk; the conference and its workshop go through the app's own services, and the
workshop is published with ``publish_schedule`` like any organizer would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select

from confnet.auth.services import hash_password
from confnet.conferences.services import create_conference
from confnet.database import write_intent
from confnet.extensions import db
from confnet.models import ItemKind, Membership, Role, ScheduleItem, User
from confnet.releases.services import publish_schedule

# Only ever used against the throwaway benchmark database.
RUSH_PASSWORD = "bench-rush-2027-password"  # noqa: S105
SLUG = "bench-rush"
EMAIL_DOMAIN = "confnet.test"


@dataclass(frozen=True)
class RushData:
    """What the load generator needs to know about the seeded rush."""

    slug: str
    item_id: int
    session_path: str  # the session page with the sign-up box
    signup_path: str  # POST target of the sign-up form
    capacity: int
    emails: list[str]  # attendees, in the order they are handed to the load generator
    password: str


def migrate(app: Flask) -> None:
    """Bring the (empty) database to the newest schema with the project's migrations."""
    with app.app_context():
        upgrade()


def seed_rush(app: Flask, *, attendees: int, capacity: int) -> RushData:
    """One conference, one published first-come workshop of ``capacity`` seats (waitlist on,
    sign-up open now, starting in 30 days) and ``attendees`` member attendees. Commits."""
    with app.app_context(), write_intent():
        shared_hash = hash_password(RUSH_PASSWORD)
        organizer = User(email=f"organizer@{EMAIL_DOMAIN}", name="Bench Organizer")
        organizer.password_hash = shared_hash
        db.session.add(organizer)
        db.session.flush()
        starts = datetime.combine(datetime.now(UTC).date() + timedelta(days=30), time(9), UTC)
        conference = create_conference(
            slug=SLUG,
            name="Benchmark Rush 2027",
            starts_on=starts.date(),
            ends_on=starts.date() + timedelta(days=1),
            timezone="UTC",
            organizer=organizer,
        )
        item = ScheduleItem(
            conference_id=conference.id,
            title="Hands-on point-of-care ultrasound",
            kind=ItemKind.WORKSHOP,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=capacity,
            signup_required=True,
            waitlist_enabled=True,
        )
        db.session.add(item)
        db.session.flush()
        publish_schedule(conference, by=organizer, note="Benchmark", confirm_conflicts=True)
        emails = [f"rush-{n:04d}@{EMAIL_DOMAIN}" for n in range(1, attendees + 1)]
        _add_attendees(conference.id, emails, shared_hash)
        db.session.commit()
        data = RushData(
            slug=SLUG,
            item_id=item.id,
            session_path=f"/c/{SLUG}/sessions/{item.id}",
            signup_path=f"/c/{SLUG}/sessions/{item.id}/seats",
            capacity=capacity,
            emails=emails,
            password=RUSH_PASSWORD,
        )
        db.session.remove()
        db.engine.dispose()
    return data


def _add_attendees(conference_id: int, emails: list[str], password_hash: str) -> None:
    """Bulk-insert users (executemany; each still gets its own login nonce) and memberships."""
    db.session.execute(
        insert(User),
        [
            {"email": email, "name": f"Rush Attendee {n}", "password_hash": password_hash}
            for n, email in enumerate(emails, start=1)
        ],
    )
    ids = db.session.scalars(select(User.id).where(User.email.in_(emails))).all()
    db.session.execute(
        insert(Membership),
        [{"conference_id": conference_id, "user_id": uid, "role": Role.ATTENDEE} for uid in ids],
    )
