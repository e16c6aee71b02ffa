"""Meetings in a person's calendar feed: the ``Meetings`` event source of
``confnet.feeds.sources.SOURCES``.

A feed holds the person's accepted meetings in the conferences they joined, and their
cancelled meetings until the conference is over (STATUS:CANCELLED with a higher SEQUENCE, so
that calendar apps that kept a copy drop it too). Only a meeting that was accepted
(``accepted_at`` set) comes back as cancelled: a withdrawn proposal never reached a calendar.
Proposed and declined meetings are never in a feed.

The UID is ``meeting-<id>@confnet`` (sessions use their UUID), SEQUENCE is the meeting's
``sequence`` (raised by counter-proposals and cancelling), DTSTAMP and LAST-MODIFIED are its
``updated_at``. ``stamp()`` and ``events()`` share one query.
"""

from datetime import datetime

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import aliased

from confnet.extensions import db
from confnet.feeds.events import FeedLinks, is_over
from confnet.feeds.ics import FeedEvent
from confnet.models import Conference, Meeting, MeetingPoint, MeetingStatus, Membership, User

# The meetings page (meetings.list_meetings) under the site's address: services build no URLs
# with url_for, and FeedLinks has no entry for it (a test checks that the page is there).
MEETINGS_PATH = "c/{slug}/meetings"


def meeting_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@confnet"


def feed_meetings(user) -> Select:
    """The meetings of ``user`` (an id or a SQL expression) that belong in their feed, last
    column the Conference."""
    host, guest = aliased(User), aliased(User)
    joined = and_(
        Membership.conference_id == Meeting.conference_id,
        Membership.user_id == user,
    )
    return (
        select(
            Meeting.id,
            Meeting.status,
            Meeting.sequence,
            Meeting.updated_at,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.place,
            Meeting.host_id,
            host.name,
            guest.name,
            MeetingPoint.name,
            MeetingPoint.details,
            Meeting.created_at,
            Meeting.note,
            Conference,
        )
        .select_from(Meeting)
        .join(host, host.id == Meeting.host_id)
        .join(guest, guest.id == Meeting.guest_id)
        .join(Conference, Conference.id == Meeting.conference_id)
        .join(Membership, joined)
        .outerjoin(MeetingPoint, MeetingPoint.id == Meeting.meeting_point_id)
        .where(
            or_(Meeting.host_id == user, Meeting.guest_id == user),
            or_(
                Meeting.status == MeetingStatus.ACCEPTED,
                and_(Meeting.status == MeetingStatus.CANCELLED, Meeting.accepted_at.is_not(None)),
            ),
        )
        .order_by(Meeting.id)
    )


_MEETINGS = feed_meetings(bindparam("user_id"))  # built once


class Meetings:
    """A person's meetings in their feed (see the module docstring)."""

    def __init__(self, user_id: int, now: datetime, alarm_minutes: int | None):
        self.user_id, self.now, self.alarm_minutes = user_id, now, alarm_minutes
        self.rows: list = []
        self._stamp: tuple | None = None

    def stamp(self) -> tuple:
        if self._stamp is None:
            rows = db.session.execute(_MEETINGS, {"user_id": self.user_id}).all()
            self.rows = [
                row
                for row in rows
                if row[1] is MeetingStatus.ACCEPTED or not is_over(row[-1], self.now)
            ]
            self._stamp = tuple((*row[:12], _conference_state(row[-1])) for row in self.rows)
        return self._stamp

    def events(self, links: FeedLinks) -> list[FeedEvent]:
        self.stamp()
        return [self._event(row, links) for row in self.rows]

    def _event(self, row, links: FeedLinks) -> FeedEvent:
        meeting_id, status, sequence, updated_at, starts_at, ends_at, place, host_id = row[:8]
        host_name, guest_name, point, details, created_at, note, conference = row[8:]
        cancelled = status is MeetingStatus.CANCELLED
        other = guest_name if host_id == self.user_id else host_name
        where = point or place or "Place to be agreed"
        url = links.site.rstrip("/") + "/" + MEETINGS_PATH.format(slug=conference.slug)
        blocks = [
            "This meeting is cancelled." if cancelled else "",
            f"{point}: {details.strip()}" if point and details.strip() else "",
            f"Note: {note.strip()}" if note.strip() else "",
            f"Your meetings: {url}",
        ]
        return FeedEvent(
            uid=meeting_uid(meeting_id),
            starts_at=starts_at,
            ends_at=ends_at,
            tz=conference.timezone,
            summary=("Cancelled: " if cancelled else "") + f"Meeting with {other}",
            created=created_at,
            last_modified=updated_at,
            sequence=sequence,
            status="CANCELLED" if cancelled else "CONFIRMED",
            location=_location(where, conference),
            description="\n\n".join(b for b in blocks if b),
            url=url,
            categories=("Meeting",),
            transparent=cancelled,
            alarm_minutes=None if cancelled else self.alarm_minutes,
        )


def _location(where: str, conference: Conference) -> str:
    """ "Meeting lounge, De Doelen, Rotterdam": the place, then the venue."""
    parts = [where, conference.venue]
    if conference.city and conference.city not in conference.venue:
        parts.append(conference.city)
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _conference_state(c: Conference) -> tuple:
    return (c.id, c.slug, c.venue, c.city, c.timezone)
