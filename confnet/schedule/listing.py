"""The published programme as attendees browse it: days, filters, search, "now and next".

Everything here reads ``PublishedItem`` only, so a draft never leaks. Every function runs a
fixed number of queries whatever the size of the conference (no lazy loads: item queries load
their room and track, or take them from ``Venues``, and forbid any other relationship access).
Badges, stars, rooms and tracks are read in ``live``.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import defer, joinedload, raiseload
from sqlalchemy.orm.attributes import set_committed_value

from confnet.extensions import db
from confnet.models import Conference, ItemKind, PublishedItem, Room, Track
from confnet.schedule import live
from confnet.schedule.days import conference_days, day_bounds

SEARCH_MAX = 100  # longer searches are cut, not refused
NOW_LIMIT = 6  # items shown per part of the "now and next" block


@dataclass(frozen=True)
class Filters:
    """What the attendee narrowed the list to; ``None``/empty means "any"."""

    track_id: int | None = None
    kind: ItemKind | None = None
    room_id: int | None = None
    tag: str | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.track_id, self.kind, self.room_id, self.tag, self.q))

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for day tabs and links that keep them)."""
        args = {
            "track": self.track_id,
            "kind": self.kind.value if self.kind else None,
            "room": self.room_id,
            "tag": self.tag,
            "q": self.q,
        }
        return {name: str(value) for name, value in args.items() if value}


@dataclass
class DayView:
    """The schedule page's list for one day (the same for every viewer)."""

    day: date
    days: list[date]
    slots: list[tuple[datetime, list[PublishedItem]]]
    badges: dict[int, list[str]] = field(default_factory=dict)
    day_counts: dict[date, int] = field(default_factory=dict)  # matching items per day

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.slots)

    @property
    def elsewhere(self) -> list[tuple[date, int]]:
        """Other days with matching items (for the "nothing here, but..." state)."""
        return [(d, n) for d, n in self.day_counts.items() if n and d != self.day]


@dataclass(frozen=True)
class Venues:
    """A conference's rooms and tracks by id, as read once for a page: items listed with them
    name the very rooms and tracks the page's cache key was computed from."""

    rooms: dict[int, Room]
    tracks: dict[int, Track]

    @classmethod
    def from_rows(cls, rooms, tracks) -> "Venues":
        """From rows of all their columns (unattached objects, only ever read)."""
        return cls(
            {row.id: Room(**row._mapping) for row in rooms},
            {row.id: Track(**row._mapping) for row in tracks},
        )

    def attach(self, items: list[PublishedItem]) -> list[PublishedItem]:
        """Set each item's ``room`` and ``track`` from these (no query; None if gone since)."""
        for item in items:
            set_committed_value(item, "room", self.rooms.get(item.room_id))
            set_committed_value(item, "track", self.tracks.get(item.track_id))
        return items


def published(conference: Conference, *, lean: bool = False, venues: bool = True) -> Select:
    """Published items of ``conference`` with room and track loaded, nothing lazy. ``lean``
    leaves out the long texts that lists don't show (reading them then raises); without
    ``venues`` room and track are left for ``Venues.attach``."""
    return published_in(conference.id, lean=lean, venues=venues)


def published_in(conference_id, *, lean: bool = False, venues: bool = True) -> Select:
    """``published`` for a conference id, or a ``bindparam`` for it (a statement built once)."""
    joined = [joinedload(PublishedItem.room), joinedload(PublishedItem.track)] if venues else []
    query = (
        select(PublishedItem)
        .where(PublishedItem.conference_id == conference_id)
        .options(*joined, raiseload("*"))
        .order_by(PublishedItem.starts_at, PublishedItem.title, PublishedItem.item_id)
    )
    if lean:
        query = query.options(
            defer(PublishedItem.abstract, raiseload=True),
            defer(PublishedItem.last_change, raiseload=True),
        )
    return query


def _matching(query: Select, filters: Filters) -> Select:
    if filters.track_id:
        query = query.where(PublishedItem.track_id == filters.track_id)
    if filters.kind:
        query = query.where(PublishedItem.kind == filters.kind)
    if filters.room_id:
        query = query.where(PublishedItem.room_id == filters.room_id)
    if filters.tag:
        padded = literal(",") + PublishedItem.tags + literal(",")
        query = query.where(padded.contains(f",{filters.tag},", autoescape=True))
    if filters.q:
        words = filters.q[:SEARCH_MAX]
        query = query.where(
            or_(
                PublishedItem.title.icontains(words, autoescape=True),
                PublishedItem.abstract.icontains(words, autoescape=True),
                PublishedItem.speaker_names.icontains(words, autoescape=True),
            )
        )
    return query


def day_items(
    conference: Conference, day: date, filters: Filters, venues: Venues | None = None
) -> list[PublishedItem]:
    """The day's published items matching ``filters``, cancelled ones included, in order (their
    rooms and tracks from ``venues`` when given)."""
    start, end = day_bounds(conference, day)
    query = published(conference, lean=True, venues=venues is None).where(
        PublishedItem.starts_at >= start, PublishedItem.starts_at < end
    )
    items = list(db.session.scalars(_matching(query, filters)).unique())
    return venues.attach(items) if venues else items


def items_by_id(
    conference: Conference, item_ids: list[int], venues: Venues | None = None
) -> dict[int, PublishedItem]:
    """The published items ``item_ids`` of ``conference`` (lean), by id."""
    if not item_ids:
        return {}
    query = published(conference, lean=True, venues=venues is None)
    items = list(db.session.scalars(query.where(PublishedItem.item_id.in_(item_ids))).unique())
    return {item.item_id: item for item in (venues.attach(items) if venues else items)}


def day_counts(conference: Conference, filters: Filters) -> dict[date, int]:
    """How many published items match ``filters`` on each of the conference's days (one
    query: a count per day, bucketed by the days' UTC bounds so that it is portable)."""
    days = conference_days(conference)
    buckets = []
    for day in days:
        start, end = day_bounds(conference, day)
        on_day = and_(PublishedItem.starts_at >= start, PublishedItem.starts_at < end)
        buckets.append(func.count(case((on_day, 1))))
    query = select(*buckets).where(PublishedItem.conference_id == conference.id)
    row = db.session.execute(_matching(query, filters)).one()
    return dict(zip(days, row, strict=True))


def group_by_slot(items: list[PublishedItem]) -> list[tuple[datetime, list[PublishedItem]]]:
    """Items grouped by start time, in the order given (which is by start time)."""
    slots: dict[datetime, list[PublishedItem]] = {}
    for item in items:
        slots.setdefault(item.starts_at, []).append(item)
    return list(slots.items())


def published_outline(
    conference: Conference,
) -> tuple[list[str], list[tuple[datetime, datetime, int]]]:
    """The published items' tags (sorted) and, in list order, ``(starts_at, ends_at, item_id)``
    of those not cancelled: what the filters offer and what "now and next" is worked out from
    (one narrow query; both only change with a release, so pages keep them with their cache)."""
    rows = db.session.execute(
        select(
            PublishedItem.starts_at,
            PublishedItem.ends_at,
            PublishedItem.item_id,
            PublishedItem.cancelled,
            PublishedItem.tags,
        )
        .where(PublishedItem.conference_id == conference.id)
        .order_by(PublishedItem.starts_at, PublishedItem.title, PublishedItem.item_id)
    ).all()
    tags = sorted({tag for *_, item_tags in rows for tag in item_tags.split(",") if tag})
    timeline = [(starts, ends, item_id) for starts, ends, item_id, gone, _ in rows if not gone]
    return tags, timeline


def split_now(
    timeline: list[tuple[datetime, datetime, int]], now: datetime
) -> tuple[list[int], list[int]]:
    """Ids of the items running at ``now`` and of those of the next starting slot, at most
    ``NOW_LIMIT`` + 1 each (so that the page can say there are more)."""
    later = bisect_right(timeline, now, key=lambda entry: entry[0])  # the first to start after
    running = [item_id for _, ends, item_id in timeline[:later] if ends > now]
    upcoming = []
    for starts, _, item_id in timeline[later : later + NOW_LIMIT + 1]:
        if starts != timeline[later][0]:
            break
        upcoming.append(item_id)
    return running[: NOW_LIMIT + 1], upcoming


def now_and_next(
    conference: Conference, now: datetime
) -> tuple[list[PublishedItem], list[PublishedItem]]:
    """Items running at ``now`` and those of the next starting slot (cancelled ones left out),
    at most ``NOW_LIMIT`` + 1 each so that the page can say there are more."""
    running, upcoming = split_now(published_outline(conference)[1], now)
    found = items_by_id(conference, running + upcoming)
    return [found[i] for i in running if i in found], [found[i] for i in upcoming if i in found]


def load_day(
    conference: Conference,
    day: date,
    filters: Filters,
    *,
    release: tuple[int, int, datetime] | None,
    venues: Venues,
) -> DayView:
    """The schedule page's list for ``day`` (three queries): its slots, the latest release's
    badges (``release`` as read for the cache key) and how many items match on each day."""
    items = day_items(conference, day, filters, venues)
    view = DayView(day=day, days=conference_days(conference), slots=group_by_slot(items))
    view.badges = live.release_badges(release, [item.item_id for item in items])
    view.day_counts = day_counts(conference, filters)
    return view
