"""Reading meetings for pages: the meetings page, a connection's meetings and "My agenda".

Each function is one query, with the people and the meeting point loaded and nothing lazy.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import joinedload, raiseload

from confnet.extensions import db
from confnet.models import Conference, Introduction, Meeting, MeetingStatus

LIVE = (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)
PAST_SHOWN = 100


def _of(user_id: int, conference_id: int) -> Select:
    return (
        select(Meeting)
        .where(
            Meeting.conference_id == conference_id,
            or_(Meeting.host_id == user_id, Meeting.guest_id == user_id),
        )
        .options(
            joinedload(Meeting.host),
            joinedload(Meeting.guest),
            joinedload(Meeting.meeting_point),
            raiseload("*"),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )


@dataclass
class MeetingLists:
    """One person's meetings in a conference, as the meetings page groups them."""

    awaiting: list[Meeting] = field(default_factory=list)  # waiting for my answer
    upcoming: list[Meeting] = field(default_factory=list)  # accepted, not over
    sent: list[Meeting] = field(default_factory=list)  # waiting for the other's answer
    past: list[Meeting] = field(default_factory=list)  # over, declined or cancelled

    @property
    def all(self) -> list[Meeting]:
        return [*self.awaiting, *self.upcoming, *self.sent, *self.past]

    @property
    def empty(self) -> bool:
        return not self.all


def meetings_of(user_id: int, conference: Conference, now: datetime) -> MeetingLists:
    """``user_id``'s meetings in ``conference``: the live ones in time order, the rest
    newest first (the latest ``PAST_SHOWN``)."""
    lists = MeetingLists()
    for meeting in db.session.scalars(_of(user_id, conference.id)).unique():
        if meeting.status not in LIVE or meeting.ends_at <= now:
            lists.past.append(meeting)
        elif meeting.status is MeetingStatus.ACCEPTED:
            lists.upcoming.append(meeting)
        elif meeting.awaiting_id == user_id:
            lists.awaiting.append(meeting)
        else:
            lists.sent.append(meeting)
    lists.past = lists.past[::-1][:PAST_SHOWN]
    return lists


@dataclass(frozen=True)
class ConnectionMeetings:
    """What the connection page shows: the meetings coming up, and whether to offer booking."""

    meetings: list[Meeting]
    can_book: bool


def meetings_of_connection(
    introduction: Introduction, user_id: int, conference: Conference, now: datetime
) -> list[Meeting]:
    """The proposed and accepted meetings of a connection in ``conference`` that aren't over
    (only for one of its two people)."""
    if not introduction.involves(user_id):
        return []
    query = _of(user_id, conference.id).where(
        Meeting.introduction_id == introduction.id,
        Meeting.status.in_(LIVE),
        Meeting.ends_at > now,
    )
    return list(db.session.scalars(query).unique())


def open_proposals(
    introduction: Introduction, user_id: int, conference: Conference, now: datetime
) -> list[Meeting]:
    """The connection's proposals still waiting for an answer (either person's)."""
    meetings = meetings_of_connection(introduction, user_id, conference, now)
    return [m for m in meetings if m.status is MeetingStatus.PROPOSED]


@dataclass(frozen=True)
class AgendaMeeting:
    """A meeting as "My agenda" lists it, next to sessions (which have the same time
    attributes, ``title`` and ``cancelled``)."""

    id: int
    other_name: str
    starts_at: datetime
    ends_at: datetime
    where: str
    proposed: bool  # not accepted yet
    awaiting_me: bool
    cancelled: bool = False

    @property
    def title(self) -> str:
        return f"Meeting with {self.other_name}"

    @property
    def anchor(self) -> str:
        return f"m{self.id}"


# Read with every "My agenda": built once.
_LIVE_OF = _of(bindparam("user_id"), bindparam("conference_id")).where(Meeting.status.in_(LIVE))


def agenda_meetings(user_id: int, conference: Conference, now: datetime) -> list[AgendaMeeting]:
    """Accepted meetings, and proposals not yet answered whose time hasn't passed."""
    params = {"user_id": user_id, "conference_id": conference.id}
    shown = []
    for meeting in db.session.scalars(_LIVE_OF, params).unique():
        proposed = meeting.status is MeetingStatus.PROPOSED
        if proposed and meeting.ends_at <= now:
            continue
        other = meeting.guest if meeting.host_id == user_id else meeting.host
        shown.append(
            AgendaMeeting(
                id=meeting.id,
                other_name=other.name,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                where=meeting.where,
                proposed=proposed,
                awaiting_me=meeting.awaiting_id == user_id,
            )
        )
    return shown
