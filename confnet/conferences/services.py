"""Conferences and memberships: creating, editing, joining, leaving and roles."""

import re
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    Conference,
    Membership,
    PublishedItem,
    Role,
    ScheduleItem,
    User,
    Visibility,
)
from confnet.timefmt import is_valid_timezone, to_local

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_DAYS = 31


class ConferenceError(DomainError):
    pass


def _check_details(slug: str, starts_on: date, ends_on: date, timezone: str) -> None:
    if not SLUG_RE.match(slug):
        raise ConferenceError(
            "The short name may hold lower-case letters, digits and dashes (e.g. medconf-2027)."
        )
    if ends_on < starts_on:
        raise ConferenceError("The conference ends before it starts.")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise ConferenceError(f"A conference can last at most {MAX_DAYS} days.")
    if not is_valid_timezone(timezone):
        raise ConferenceError(f"{timezone!r} is not a known timezone, e.g. Europe/Amsterdam.")


def create_conference(
    *,
    slug: str,
    name: str,
    starts_on: date,
    ends_on: date,
    timezone: str,
    venue: str = "",
    city: str = "",
    tagline: str = "",
    description: str = "",
    organizer: User | None = None,
) -> Conference:
    """A new conference; ``organizer``, if given, becomes its first organizer."""
    slug = slug.strip().lower()
    _check_details(slug, starts_on, ends_on, timezone)
    if db.session.scalar(select(Conference.id).filter_by(slug=slug)) is not None:
        raise ConferenceError(f"The short name {slug!r} is taken.")
    conference = Conference(
        slug=slug,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        venue=venue.strip(),
        city=city.strip(),
        tagline=tagline.strip(),
        description=description.replace("\r\n", "\n").strip(),
    )
    db.session.add(conference)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ConferenceError(f"The short name {slug!r} is taken.") from None
    if organizer is not None:
        db.session.add(
            Membership(conference_id=conference.id, user_id=organizer.id, role=Role.ORGANIZER)
        )
        db.session.flush()
    return conference


def update_conference(
    conference: Conference,
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    timezone: str,
    venue: str,
    city: str,
    tagline: str,
    description: str,
) -> None:
    """Change a conference's details (its slug stays: links to it must keep working).

    Once sessions exist, the timezone is fixed (changing it would silently move every session's
    local time) and the days must still hold every session that is not cancelled.
    """
    _check_details(conference.slug, starts_on, ends_on, timezone)
    _check_programme_fits(conference, starts_on, ends_on, timezone)
    conference.name, conference.tagline = name.strip(), tagline.strip()
    conference.starts_on, conference.ends_on, conference.timezone = starts_on, ends_on, timezone
    conference.venue, conference.city = venue.strip(), city.strip()
    conference.description = description.replace("\r\n", "\n").strip()
    db.session.flush()


def _check_programme_fits(conference: Conference, starts_on: date, ends_on: date, tz: str) -> None:
    items = select(func.count()).select_from(ScheduleItem).filter_by(conference_id=conference.id)
    if tz != conference.timezone and db.session.scalar(items):
        raise ConferenceError(
            "This conference already has sessions, so its timezone can't change: their local "
            "times would all shift. Keep the timezone, or move the sessions first."
        )
    if (starts_on, ends_on) == (conference.starts_on, conference.ends_on):
        return
    first = datetime.combine(starts_on, time(0), conference.tz)
    after_last = datetime.combine(ends_on + timedelta(days=1), time(0), conference.tz)
    outside = db.session.scalar(
        items.filter_by(cancelled=False).where(
            (ScheduleItem.starts_at < first) | (ScheduleItem.ends_at > after_last)
        )
    )
    if outside:
        raise ConferenceError(
            f"{outside} session(s) would fall outside these days. Move or cancel them first."
        )


def join_conference(
    user: User, conference: Conference, visibility: Visibility = Visibility.LISTED
) -> Membership:
    """Make ``user`` an attendee, as visible to other attendees as they chose; joining twice
    keeps the one membership (and its role and visibility)."""
    query = select(Membership).filter_by(user_id=user.id, conference_id=conference.id)
    existing = db.session.scalar(query)
    if existing is not None:
        return existing
    membership = Membership(
        user_id=user.id, conference_id=conference.id, role=Role.ATTENDEE, visibility=visibility
    )
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:  # a concurrent double-click won the race
        return db.session.scalar(query)
    return membership


def _organizer_count(conference: Conference) -> int:
    query = select(func.count()).select_from(Membership)
    query = query.filter_by(conference_id=conference.id, role=Role.ORGANIZER)
    return db.session.scalar(query) or 0


def leave_conference(user: User, conference: Conference) -> None:
    query = select(Membership).filter_by(user_id=user.id, conference_id=conference.id)
    membership = db.session.scalar(query)
    if membership is None:
        raise ConferenceError("You are not part of this conference.")
    if membership.role is Role.ORGANIZER and _organizer_count(conference) == 1:
        raise ConferenceError("You are its only organizer: make someone else organizer first.")
    db.session.delete(membership)
    db.session.flush()


def set_member_role(conference: Conference, membership: Membership, role: Role) -> None:
    """Change a member's role; a conference always keeps at least one organizer."""
    if membership.conference_id != conference.id:
        raise ConferenceError("That person is not part of this conference.")
    demoting = membership.role is Role.ORGANIZER and role is not Role.ORGANIZER
    if demoting and _organizer_count(conference) == 1:
        raise ConferenceError("A conference needs at least one organizer.")
    membership.role = role
    db.session.flush()


def add_member_by_email(conference: Conference, email: str, role: Role) -> Membership:
    """Give the account with ``email`` a role here (joining it if needed)."""
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        raise ConferenceError(f"No account uses {email.strip()}; ask them to sign up first.")
    membership = join_conference(user, conference)
    membership.role = role
    db.session.flush()
    return membership


def members_of(conference: Conference, search: str = "") -> list[Membership]:
    """Members, organizers first, then by name; ``search`` matches name or email."""
    query = (
        select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .filter(Membership.conference_id == conference.id)
        .order_by(func.lower(User.name))
    )
    if search.strip():
        pattern = f"%{search.strip().lower()[:100]}%"
        query = query.where(func.lower(User.name).like(pattern) | User.email.like(pattern))
    return sorted(db.session.scalars(query), key=lambda m: -m.role.rank)


def conferences_of(user: User) -> list[tuple[Conference, Membership]]:
    """The user's conferences, soonest first."""
    query = (
        select(Conference, Membership)
        .join(Membership)
        .filter(Membership.user_id == user.id)
        .order_by(Conference.starts_on, Conference.name)
    )
    return [(c, m) for c, m in db.session.execute(query)]


def open_conferences(user: User | None, today: date) -> list[Conference]:
    """Conferences not yet over that ``user`` has not joined, soonest first."""
    query = select(Conference).where(Conference.ends_on >= today).order_by(Conference.starts_on)
    if user is not None:
        joined = select(Membership.conference_id).filter_by(user_id=user.id)
        query = query.where(Conference.id.not_in(joined))
    return list(db.session.scalars(query.limit(20)))


def programme_summary(conference: Conference) -> dict:
    """Counts of the PUBLISHED programme for the conference home: sessions per local day, and
    the rooms and tracks they use (drafts stay invisible until an organizer publishes)."""
    rows = db.session.execute(
        select(PublishedItem.starts_at, PublishedItem.room_id, PublishedItem.track_id).filter_by(
            conference_id=conference.id, cancelled=False
        )
    ).all()
    per_day = Counter(to_local(row.starts_at, conference.tz).date() for row in rows)
    days = [
        conference.starts_on + timedelta(days=i)
        for i in range((conference.ends_on - conference.starts_on).days + 1)
    ]
    members = select(func.count()).select_from(Membership).filter_by(conference_id=conference.id)
    return {
        "days": [(day, per_day.get(day, 0)) for day in days],
        "items": len(rows),
        "rooms": len({row.room_id for row in rows} - {None}),
        "tracks": len({row.track_id for row in rows} - {None}),
        "members": db.session.scalar(members),
    }
