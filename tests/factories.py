"""Small factories for test data; every one flushes so that ids exist."""

import itertools
from datetime import UTC, date, datetime, timedelta

from werkzeug.security import generate_password_hash

from confnet.extensions import db
from confnet.models import (
    Answer,
    Conference,
    Introduction,
    IntroductionStatus,
    ItemKind,
    Membership,
    Offer,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Role,
    Room,
    ScheduleItem,
    Seek,
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

    def profile(
        self, user: User, *, offers: tuple[Offer, ...] = (), seeks: tuple[Seek, ...] = (), **kw
    ) -> Profile:
        """A profile with the given fields (``specialty="Cardiology"``, ...) and intents."""
        profile = Profile(user_id=user.id, **kw)
        profile.offers = [ProfileOffer(offer=o) for o in offers]
        profile.seeks = [ProfileSeek(seek=s) for s in seeks]
        db.session.add(profile)
        db.session.flush()
        return profile

    def introduction(
        self,
        conference: Conference,
        a: User,
        b: User,
        *,
        status: IntroductionStatus = IntroductionStatus.ACCEPTED,
        by: User | None = None,
        message: str = "Hello",
    ) -> Introduction:
        """An introduction of ``a`` and ``b`` (accepted by default: a connection)."""
        first, second = sorted((a, b), key=lambda u: u.id)
        answer = {
            IntroductionStatus.ACCEPTED: (Answer.ACCEPTED, Answer.ACCEPTED),
            IntroductionStatus.DECLINED: (Answer.ACCEPTED, Answer.DECLINED),
        }.get(status, (Answer.PENDING, Answer.PENDING))
        requester = by or a
        a_answer, b_answer = answer
        if status is IntroductionStatus.PENDING and requester.id in (first.id, second.id):
            a_answer = Answer.ACCEPTED if requester.id == first.id else Answer.PENDING
            b_answer = Answer.ACCEPTED if requester.id == second.id else Answer.PENDING
        intro = Introduction(
            conference_id=conference.id,
            person_a_id=first.id,
            person_b_id=second.id,
            requested_by_id=requester.id,
            message=message,
            a_answer=a_answer,
            b_answer=b_answer,
            status=status,
            decided_at=None if status is IntroductionStatus.PENDING else datetime.now(UTC),
        )
        db.session.add(intro)
        db.session.flush()
        return intro
