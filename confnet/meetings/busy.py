"""When people are busy, and the conference's hours, read from the database in a fixed number
of queries (see ``slots`` for the pure side).

A person is busy during the published, non-cancelled sessions they committed to (starred,
speak in, or hold a confirmed workshop seat in; ``commitments_of``) and during their meetings
in the given statuses, in any conference: nobody can be in two places at once.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from confnet.extensions import db
from confnet.feeds.sources import commitments_of
from confnet.meetings.slots import Interval, Window, day_window, propose_starts
from confnet.models import Conference, Meeting, MeetingStatus, PublishedItem, SeatStatus, User
from confnet.schedule.days import conference_days, day_bounds

LIVE = (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)


@dataclass(frozen=True)
class Busy(Interval):
    """A busy interval of one person and what fills it (for messages)."""

    user_id: int = 0
    title: str = ""  # the session's title, or "Meeting with …"
    meeting_id: int | None = None


def conference_windows(conference: Conference) -> list[Window]:
    """The conference's hours per local day, from its published, non-cancelled sessions
    (one query: the first start and last end of each day's sessions)."""
    days = conference_days(conference)
    parts = []
    for index, day in enumerate(days):
        start, end = day_bounds(conference, day)
        parts.append(
            select(
                literal(index), func.min(PublishedItem.starts_at), func.max(PublishedItem.ends_at)
            ).where(
                PublishedItem.conference_id == conference.id,
                PublishedItem.cancelled.is_(False),
                PublishedItem.starts_at >= start,
                PublishedItem.starts_at < end,
            )
        )
    found = {row[0]: row[1:] for row in db.session.execute(union_all(*parts))}
    windows = []
    for index, day in enumerate(days):
        first, last = found.get(index, (None, None))
        if last is not None:
            last = min(last, day_bounds(conference, day)[1])
        windows.append(day_window(day, conference.tz, first, last))
    return windows


def _committed(user_id: int) -> set[int]:
    """Items that fill the person's time: starred, speaking, or a confirmed seat."""
    return {
        item_id
        for item_id, c in commitments_of(user_id).items()
        if c.starred or c.speaking or c.seat is SeatStatus.CONFIRMED
    }


def _sessions(user_ids: list[int], span: tuple[datetime, datetime]) -> list[Busy]:
    mine = {user_id: _committed(user_id) for user_id in user_ids}
    wanted = set().union(*mine.values())
    if not wanted:
        return []
    rows = db.session.execute(
        select(
            PublishedItem.item_id,
            PublishedItem.title,
            PublishedItem.starts_at,
            PublishedItem.ends_at,
        ).where(
            PublishedItem.item_id.in_(wanted),
            PublishedItem.cancelled.is_(False),
            PublishedItem.starts_at < span[1],
            PublishedItem.ends_at > span[0],
        )
    ).all()
    return [
        Busy(starts, ends, user_id, f"“{title}”")
        for item_id, title, starts, ends in rows
        for user_id in user_ids
        if item_id in mine[user_id]
    ]


def _meetings(
    user_ids: list[int], span: tuple[datetime, datetime], statuses, exclude: int | None
) -> list[Busy]:
    host, guest = aliased(User), aliased(User)
    query = (
        select(
            Meeting.id,
            Meeting.host_id,
            Meeting.guest_id,
            Meeting.starts_at,
            Meeting.ends_at,
            host.name,
            guest.name,
        )
        .join(host, host.id == Meeting.host_id)
        .join(guest, guest.id == Meeting.guest_id)
        .where(
            or_(Meeting.host_id.in_(user_ids), Meeting.guest_id.in_(user_ids)),
            Meeting.status.in_(statuses),
            and_(Meeting.starts_at < span[1], Meeting.ends_at > span[0]),
        )
    )
    if exclude is not None:
        query = query.where(Meeting.id != exclude)
    busy = []
    for meeting_id, host_id, guest_id, starts, ends, host_name, guest_name in db.session.execute(
        query
    ):
        for user_id, other in ((host_id, guest_name), (guest_id, host_name)):
            if user_id in user_ids:
                busy.append(Busy(starts, ends, user_id, f"your meeting with {other}", meeting_id))
    return busy


def busy_times(
    user_ids: list[int],
    span: tuple[datetime, datetime],
    *,
    statuses: tuple[MeetingStatus, ...] = LIVE,
    exclude: int | None = None,
) -> list[Busy]:
    """What keeps any of ``user_ids`` busy within ``span`` (UTC): committed sessions and
    meetings in ``statuses`` (but not meeting ``exclude``). One query per person for their
    commitments, plus one for the sessions and one for the meetings."""
    found = _sessions(user_ids, span) + _meetings(user_ids, span, statuses, exclude)
    return sorted(found, key=lambda b: (b.starts_at, b.ends_at, b.user_id))


def suggest_starts(
    conference: Conference,
    user_ids: list[int],
    minutes: int,
    now: datetime,
    *,
    exclude: int | None = None,
) -> list[datetime]:
    """About six starts for a meeting of ``minutes`` when all of ``user_ids`` are free,
    spread over the conference's days (``slots.propose_starts``); a fixed number of queries."""
    windows = conference_windows(conference)
    span = (windows[0].opens_at, windows[-1].closes_at)
    busy = busy_times(user_ids, span, exclude=exclude)
    return propose_starts(windows, list(busy), minutes, now, conference.tz)
