"""Stars, the session page, "My agenda" (starred sessions and meetings) and a speaker's own
sessions.

Attendees only ever see ``PublishedItem`` rows: an item that exists only as a draft is "not
found" here. A star belongs to one user and one item (the primary key makes starring
idempotent, also when two requests race).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.meetings.queries import AgendaMeeting, agenda_meetings
from confnet.models import (
    Conference,
    PublishedItem,
    Speaker,
    Star,
    User,
)
from confnet.models.programme import item_speakers
from confnet.releases.state import programme_state
from confnet.schedule.listing import published, published_in
from confnet.schedule.live import star_columns, star_summary
from confnet.timefmt import to_local

# Ids beyond this do not fit the integer columns: such a URL names nothing.
MAX_ID = 2**31 - 1


class StarRefused(DomainError):
    pass


@dataclass
class AgendaEntry:
    """A starred session, or (``item`` None) one of the person's meetings; ``clashes`` holds
    the sessions and accepted meetings overlapping it."""

    item: PublishedItem | None
    clashes: list[PublishedItem | AgendaMeeting] = field(default_factory=list)
    meeting: AgendaMeeting | None = None

    @property
    def shown(self) -> PublishedItem | AgendaMeeting:
        return self.item if self.item is not None else self.meeting

    @property
    def order(self) -> tuple:
        return (self.shown.starts_at, self.item is None, self.shown.id)


def find_published(conference: Conference, item_id: int) -> PublishedItem | None:
    """The published item ``item_id`` of ``conference``, or None (drafts and other
    conferences' items included)."""
    if not 0 < item_id <= MAX_ID:
        return None
    return db.session.scalar(_ONE, {"conference_id": conference.id, "item_id": item_id})


# Read on every session page: built once.
_ONE = published_in(bindparam("conference_id")).where(PublishedItem.item_id == bindparam("item_id"))
_ONE_WITH_STATE = _ONE.add_columns(*programme_state(bindparam("conference_id")), *star_columns())


def star_session(user: User, item: PublishedItem) -> None:
    """Put ``item`` in the user's agenda. Starring twice keeps one star; a cancelled item
    cannot be starred (StarRefused), though stars made before it was cancelled stay."""
    if item.cancelled:
        raise StarRefused(f"“{item.title}” is cancelled, so it can't go in your agenda.")
    if db.session.get(Star, (user.id, item.item_id)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Star(user_id=user.id, item_id=item.item_id))
    except IntegrityError:  # a concurrent request (a double tap) starred it first
        pass


def unstar_session(user: User, item: PublishedItem) -> None:
    """Take ``item`` out of the user's agenda (nothing happens if it wasn't in it)."""
    db.session.execute(delete(Star).filter_by(user_id=user.id, item_id=item.item_id))
    db.session.flush()


def star_state(user: User | None, item: PublishedItem) -> tuple[bool, int]:
    """Whether ``user`` starred ``item``, and how many people did."""
    starred, counts = star_summary([item.item_id], user.id if user else None)
    return item.item_id in starred, counts.get(item.item_id, 0)


@dataclass(frozen=True)
class FoundSession:
    item: PublishedItem
    state: tuple  # the programme's state: names the version of the item's ``SessionDetails``
    starred: bool  # by the viewer
    stars: int  # how many people starred it


def find_session(conference: Conference, item_id: int, user: User | None) -> FoundSession | None:
    """``find_published``, with in the same query the programme's state (latest release
    number, programme stamp: ``confnet.releases.state``) and ``star_state``; None when not
    published here. The state names the version of the item's ``SessionDetails``: the item
    and its release history change only with a release, its links and speakers' accounts
    renew the stamp."""
    if not 0 < item_id <= MAX_ID:
        return None
    params = {
        "conference_id": conference.id,
        "item_id": item_id,
        "user_id": user.id if user else -1,
    }
    row = db.session.execute(_ONE_WITH_STATE, params).first()
    if row is None:
        return None
    item, release, stamp, stars, starred = row
    return FoundSession(item, (release, stamp), bool(starred), stars or 0)


def by_day(items, tz: ZoneInfo, key=lambda entry: entry) -> list[tuple[date, list]]:
    """``items`` (in time order) grouped by their local start day in ``tz``."""
    days: dict[date, list] = {}
    for entry in items:
        days.setdefault(to_local(key(entry).starts_at, tz).date(), []).append(entry)
    return list(days.items())


def mark_clashes(entries: list[AgendaEntry]) -> None:
    """Name, on each entry, the other entries overlapping it in time (touching end-to-start
    is fine; cancelled sessions and meetings not accepted yet clash with nothing)."""
    active: list[AgendaEntry] = []
    for entry in sorted(entries, key=lambda e: e.order):
        shown = entry.shown
        if shown.cancelled or (entry.meeting is not None and entry.meeting.proposed):
            continue
        active = [a for a in active if a.shown.ends_at > shown.starts_at]
        for other in active:
            other.clashes.append(shown)
            entry.clashes.append(other.shown)
        active.append(entry)


# "My agenda" is read all day long: its statement is built once. Each row also carries the
# programme's state (the same in every row), which names the version of the sessions' rows.
_STARRED = (
    published_in(bindparam("conference_id"), lean=True)
    .add_columns(*programme_state(bindparam("conference_id")))
    .join(Star, Star.item_id == PublishedItem.item_id)
    .where(Star.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class Agenda:
    days: list[tuple[date, list[AgendaEntry]]]
    state: tuple | None  # the programme's state (see ``find_session``); None without sessions


def agenda_of(user: User, conference: Conference, now: datetime | None = None) -> Agenda:
    """The user's starred published items and meetings (accepted ones, and proposals still
    open: ``AgendaMeeting.proposed``) by local day, clashes marked (two queries)."""
    params = {"conference_id": conference.id, "user_id": user.id}
    rows = db.session.execute(_STARRED, params).all()
    entries = [AgendaEntry(item) for item, *_ in rows]
    meetings = agenda_meetings(user.id, conference, now or utcnow())
    entries += [AgendaEntry(None, meeting=meeting) for meeting in meetings]
    mark_clashes(entries)
    entries.sort(key=lambda entry: entry.shown.starts_at)  # stable: sessions keep their order
    days = by_day(entries, conference.tz, key=lambda entry: entry.shown)
    return Agenda(days, tuple(rows[0][1:]) if rows else None)


def sessions_spoken_by(
    user: User, conference: Conference
) -> list[tuple[date, list[PublishedItem]]]:
    """The published items in which ``user`` speaks (through a linked Speaker), by day."""
    theirs = (
        select(item_speakers.c.item_id)
        .join(Speaker, Speaker.id == item_speakers.c.speaker_id)
        .where(Speaker.user_id == user.id, Speaker.conference_id == conference.id)
    )
    query = published(conference, lean=True).where(PublishedItem.item_id.in_(theirs))
    items = db.session.scalars(query)
    return by_day(list(items), conference.tz)
