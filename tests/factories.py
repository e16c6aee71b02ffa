"""Small factories for test data; every one flushes so that ids exist."""

import itertools
from datetime import UTC, date, datetime, timedelta

from werkzeug.security import generate_password_hash

from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemKind,
    Membership,
    Role,
    Room,
    ScheduleItem,
    Track,
    User,
)

_counter = itertools.count(1)


class Factories:
    PASSWORD = "correct horse battery"
    # Hashing is deliberately slow; hash the shared test password once.
    _hash = generate_password_hash(PASSWORD, method="scrypt")

    def user(self, email: str | None = None, name: str | None = None, *, admin=False) -> User:
        n = next(_counter)
        user = User(
            email=email or f"user{n}@example.org",
            name=name or f"Test Person {n}",
            password_hash=self._hash,
            is_site_admin=admin,
        )
        db.session.add(user)
        db.session.flush()
        return user

    def conference(
        self,
        slug: str | None = None,
        *,
        tz: str = "Europe/Amsterdam",
        starts_on: date = date(2027, 3, 26),
        days: int = 3,
        **kw,
    ) -> Conference:
        n = next(_counter)
        conference = Conference(
            slug=slug or f"conf-{n}",
            name=kw.pop("name", f"Conference {n}"),
            timezone=tz,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days - 1),
            **kw,
        )
        db.session.add(conference)
        db.session.flush()
        return conference

    def member(self, user: User, conference: Conference, role: Role = Role.ATTENDEE) -> Membership:
        membership = Membership(user_id=user.id, conference_id=conference.id, role=role)
        db.session.add(membership)
        db.session.flush()
        return membership

    def room(self, conference: Conference, name: str = "Hall A", capacity: int = 100) -> Room:
        room = Room(conference_id=conference.id, name=name, capacity=capacity)
        db.session.add(room)
        db.session.flush()
        return room

    def track(self, conference: Conference, name: str = "Cardiology") -> Track:
        track = Track(conference_id=conference.id, name=name, colour="#aa3344")
        db.session.add(track)
        db.session.flush()
        return track

    def item(
        self, conference: Conference, *, starts_at: datetime | None = None, minutes: int = 45, **kw
    ) -> ScheduleItem:
        starts_at = starts_at or datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
        item = ScheduleItem(
            conference_id=conference.id,
            title=kw.pop("title", f"Talk {next(_counter)}"),
            kind=kw.pop("kind", ItemKind.TALK),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            **kw,
        )
        db.session.add(item)
        db.session.flush()
        return item

    def publish(self, conference: Conference):
        """Publish the conference's draft as the next release (conflicts accepted)."""
        from confnet.releases.services import publish_schedule

        return publish_schedule(conference, by=None, confirm_conflicts=True)
