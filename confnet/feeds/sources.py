"""What goes into a person's feed: one event source per kind of thing, listed in ``SOURCES``.

A source gives a cheap ``stamp()`` (narrow rows that change whenever its events would; used for
the ETag, so that an unchanged feed answers 304 without rendering) and its ``events()``. Both
run a fixed number of queries, whatever the number of events. Adding a kind of event is one
more class in ``SOURCES``; its UIDs must not clash with the sessions'.

``Meetings`` (in ``confnet.meetings.feed``) adds the person's accepted meetings, and cancelled
ones until the conference is over.

``Sessions`` covers the published sessions the person committed to, across every conference
they joined: starred ones, workshop places (seat, waitlist, draw) and sessions they speak in.
One session is one event, however many ways it is theirs. A cancelled session stays (as
cancelled) until its conference is over; un-starring removes it.
"""

from collections import defaultdict
from datetime import datetime
from typing import Protocol

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload, raiseload

from confnet.database import UTCDateTime
from confnet.extensions import db
from confnet.feeds.events import Commitment, FeedLinks, is_over, session_event
from confnet.feeds.ics import FeedEvent
from confnet.meetings.feed import Meetings
from confnet.models import (
    Conference,
    ItemLink,
    Membership,
    PublishedItem,
    Room,
    Seat,
    SeatStatus,
    Speaker,
    Star,
    Track,
)
from confnet.models.programme import item_speakers


class EventSource(Protocol):
    def stamp(self) -> tuple: ...

    def events(self, links: FeedLinks) -> list[FeedEvent]: ...


# The ways a session becomes someone's. Each is a SELECT of the same columns (item_id, starred,
# speaking, seat status, waitlist position, seat changed at); they run as one UNION ALL and are
# merged per session. Seats come first: a compound SELECT takes its column types from it.
def seated(user_id) -> Select:
    """Seats, waitlist places (with their position, as ``waitlist_position`` counts it) and
    lottery entries."""
    other = aliased(Seat)
    ahead = (
        select(func.count())
        .select_from(other)
        .where(
            other.item_id == Seat.item_id,
            other.status == SeatStatus.WAITLISTED,
            or_(other.rank < Seat.rank, and_(other.rank == Seat.rank, other.id < Seat.id)),
        )
        .scalar_subquery()
    )
    position = case((Seat.status == SeatStatus.WAITLISTED, ahead + 1), else_=None)
    since = func.coalesce(Seat.confirmed_at, Seat.created_at)
    return select(Seat.item_id, literal(False), literal(False), Seat.status, position, since).where(
        Seat.user_id == user_id
    )


def _plain(item_id, *, starred: bool = False, speaking: bool = False) -> tuple:
    nothing = (cast(null(), Seat.status.type), cast(null(), Integer), cast(null(), UTCDateTime))
    return (item_id, literal(starred), literal(speaking), *nothing)


def _starred(user_id) -> Select:
    return select(*_plain(Star.item_id, starred=True)).where(Star.user_id == user_id)


def _speaking(user_id) -> Select:
    """Sessions with a speaker linked to the person (as on "My sessions")."""
    return (
        select(*_plain(item_speakers.c.item_id, speaking=True))
        .join(Speaker, Speaker.id == item_speakers.c.speaker_id)
        .where(Speaker.user_id == user_id)
    )


COMMITMENTS = (seated, _starred, _speaking)
# Feeds are polled all day, so their statements are built once, with the person as a parameter:
# building a statement costs more than SQLite takes to run it.
_USER = bindparam("user_id")
_ITEMS = bindparam("item_ids", expanding=True)
_COMMITTED = union_all(*(commitment(_USER) for commitment in COMMITMENTS))


def commitments_of(user_id: int) -> dict[int, Commitment]:
    """Every session the person committed to, and how (one query)."""
    mine: dict[int, Commitment] = {}
    rows = db.session.execute(_COMMITTED, {"user_id": user_id})
    for item_id, starred, speaking, status, position, since in rows:
        found = Commitment(bool(starred), bool(speaking), status, position, since)
        mine[item_id] = mine[item_id].merge(found) if item_id in mine else found
    return mine


def _conference_state(conference: Conference, now: datetime) -> tuple:
    """What of a conference shows in its sessions' events (location, zone, URLs)."""
    c = conference
    return (c.id, c.slug, c.name, c.venue, c.city, c.timezone, c.ends_on, is_over(c, now))


def _state_query() -> Select:
    """Narrow rows of the person's published items, in conferences they joined."""
    membership = and_(
        Membership.conference_id == PublishedItem.conference_id,
        Membership.user_id == _USER,
    )
    return (
        select(
            PublishedItem.item_id,
            PublishedItem.updated_at,
            PublishedItem.cancelled,
            Room.name,
            Room.notes,
            Track.name,
            Conference,
        )
        .join(Conference, Conference.id == PublishedItem.conference_id)
        .join(Membership, membership)
        .outerjoin(Room, Room.id == PublishedItem.room_id)
        .outerjoin(Track, Track.id == PublishedItem.track_id)
        .where(PublishedItem.item_id.in_(_ITEMS))
        .order_by(PublishedItem.item_id)
    )


_STATE = _state_query()
_LINKS = (
    select(ItemLink.item_id, ItemLink.id, ItemLink.label, ItemLink.url)
    .where(ItemLink.item_id.in_(_ITEMS))
    .order_by(ItemLink.item_id, ItemLink.position, ItemLink.id)
)
_ITEMS_OF = (
    select(PublishedItem)
    .where(PublishedItem.item_id.in_(_ITEMS))
    .options(joinedload(PublishedItem.room), joinedload(PublishedItem.track), raiseload("*"))
    .order_by(PublishedItem.starts_at, PublishedItem.item_id)
)


class Sessions:
    """The published sessions a person committed to (see the module docstring)."""

    def __init__(self, user_id: int, now: datetime, alarm_minutes: int | None):
        self.user_id, self.now, self.alarm_minutes = user_id, now, alarm_minutes
        self.mine: dict[int, Commitment] = {}
        self.conferences: dict[int, Conference] = {}
        self.links: dict[int, list] = defaultdict(list)
        self._stamp: tuple | None = None

    def stamp(self) -> tuple:
        if self._stamp is None:
            self._stamp = self._load()
        return self._stamp

    def _load(self) -> tuple:
        mine = commitments_of(self.user_id)
        if not mine:
            return ()
        state = []
        params = {"user_id": self.user_id, "item_ids": list(mine)}
        for row in db.session.execute(_STATE, params):
            item_id, cancelled, conference = row[0], row[2], row[-1]
            if cancelled and is_over(conference, self.now):
                continue
            self.mine[item_id] = mine[item_id]
            self.conferences[conference.id] = conference
            state.append((*row[:-1], conference.id))
        link_rows = db.session.execute(_LINKS, {"item_ids": list(self.mine)}).all()
        for link in link_rows:
            self.links[link.item_id].append(link)
        conferences = [_conference_state(c, self.now) for c in self.conferences.values()]
        commitments = sorted(self.mine.items())
        return (tuple(state), tuple(sorted(conferences)), tuple(commitments), tuple(link_rows))

    def events(self, links: FeedLinks) -> list[FeedEvent]:
        self.stamp()
        if not self.mine:
            return []
        items = db.session.scalars(_ITEMS_OF, {"item_ids": list(self.mine)}).unique()
        return [
            session_event(
                item,
                self.conferences[item.conference_id],
                links,
                self.links[item.item_id],
                mine=self.mine[item.item_id],
                alarm_minutes=self.alarm_minutes,
            )
            for item in items
        ]


# Every source of a personal feed (meetings: see confnet.meetings.feed).
SOURCES = (Sessions, Meetings)
