"""The published programme as attendees browse it: days, filters, search, badges and stars.

Everything here reads ``PublishedItem`` only, so a draft never leaks. Every function runs a
fixed number of queries whatever the size of the conference (no lazy loads: item queries load
their room and track and forbid any other relationship access).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import defer, joinedload, raiseload

from confnet.extensions import db
from confnet.models import (
    ChangeKind,
    Conference,
    ItemKind,
    PublishedItem,
    Release,
    ReleaseChange,
    Room,
    Star,
    Track,
)
from confnet.schedule.days import conference_days, day_bounds, is_running

SEARCH_MAX = 100  # longer searches are cut, not refused
NOW_LIMIT = 6  # items shown per part of the "now and next" block

# The badge an attendee sees on an item changed in the latest release.
BADGES = {
    ChangeKind.ADDED: "new",
    ChangeKind.MOVED: "moved",
    ChangeKind.ROOM_CHANGED: "room changed",
    ChangeKind.RENAMED: "renamed",
    ChangeKind.CANCELLED: "cancelled",
    ChangeKind.RESTORED: "back on",
}


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
    """Everything the schedule page shows for one day."""

    day: date
    days: list[date]
    slots: list[tuple[datetime, list[PublishedItem]]]
    running: list[PublishedItem] = field(default_factory=list)
    upcoming: list[PublishedItem] = field(default_factory=list)
    badges: dict[int, list[str]] = field(default_factory=dict)
    starred: set[int] = field(default_factory=set)
    counts: dict[int, int] = field(default_factory=dict)
    day_counts: dict[date, int] = field(default_factory=dict)  # matching items per day

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.slots)

    @property
    def elsewhere(self) -> list[tuple[date, int]]:
        """Other days with matching items (for the "nothing here, but..." state)."""
        return [(d, n) for d, n in self.day_counts.items() if n and d != self.day]


def published(conference: Conference, *, lean: bool = False) -> Select:
    """Published items of ``conference`` with room and track loaded, nothing lazy. ``lean``
    leaves out the long texts that lists don't show (reading them then raises)."""
    query = (
        select(PublishedItem)
        .where(PublishedItem.conference_id == conference.id)
        .options(joinedload(PublishedItem.room), joinedload(PublishedItem.track), raiseload("*"))
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


def day_items(conference: Conference, day: date, filters: Filters) -> list[PublishedItem]:
    """The day's published items matching ``filters``, cancelled ones included, in order."""
    start, end = day_bounds(conference, day)
    query = published(conference, lean=True).where(
        PublishedItem.starts_at >= start, PublishedItem.starts_at < end
    )
    return list(db.session.scalars(_matching(query, filters)).unique())


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


def now_and_next(
    conference: Conference, now: datetime
) -> tuple[list[PublishedItem], list[PublishedItem]]:
    """Items running at ``now`` and those of the next starting slot (cancelled ones left out),
    at most ``NOW_LIMIT`` + 1 each so that the page can say there are more."""
    live = published(conference, lean=True).where(PublishedItem.cancelled.is_(False))
    running = live.where(PublishedItem.starts_at <= now, PublishedItem.ends_at > now)
    next_start = (
        select(func.min(PublishedItem.starts_at))
        .where(
            PublishedItem.conference_id == conference.id,
            PublishedItem.cancelled.is_(False),
            PublishedItem.starts_at > now,
        )
        .scalar_subquery()
    )
    upcoming = live.where(PublishedItem.starts_at == next_start)
    return (
        list(db.session.scalars(running.limit(NOW_LIMIT + 1)).unique()),
        list(db.session.scalars(upcoming.limit(NOW_LIMIT + 1)).unique()),
    )


def latest_badges(conference: Conference, item_ids: list[int]) -> dict[int, list[str]]:
    """Badges for those of ``item_ids`` the latest release changed ("new" only after the first
    release: in release 1 everything is new)."""
    if not item_ids:
        return {}
    latest = (
        select(func.max(Release.number))
        .where(Release.conference_id == conference.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Release.number, ReleaseChange.item_id, ReleaseChange.kind)
        .join(ReleaseChange.release)
        .where(
            Release.conference_id == conference.id,
            Release.number == latest,
            ReleaseChange.item_id.in_(item_ids),
        )
        .order_by(ReleaseChange.id)
    )
    badges: dict[int, list[str]] = defaultdict(list)
    for number, item_id, kind in rows:
        if kind in BADGES and not (kind is ChangeKind.ADDED and number == 1):
            badges[item_id].append(BADGES[kind])
    return dict(badges)


def star_summary(item_ids: list[int], user_id: int | None) -> tuple[set[int], dict[int, int]]:
    """Which of ``item_ids`` the user starred, and how many people starred each (one query)."""
    if not item_ids:
        return set(), {}
    mine = func.max(case((Star.user_id == (user_id or -1), 1), else_=0))
    rows = db.session.execute(
        select(Star.item_id, func.count(), mine)
        .where(Star.item_id.in_(item_ids))
        .group_by(Star.item_id)
    )
    starred, counts = set(), {}
    for item_id, count, is_mine in rows:
        counts[item_id] = count
        if is_mine:
            starred.add(item_id)
    return starred, counts


def filter_options(conference: Conference) -> tuple[list[Track], list[Room], list[str]]:
    """The tracks, rooms and published tags an attendee can filter by."""
    tracks = db.session.scalars(
        select(Track).filter_by(conference_id=conference.id).order_by(Track.name)
    ).all()
    rooms = db.session.scalars(
        select(Room).filter_by(conference_id=conference.id).order_by(Room.position, Room.name)
    ).all()
    tag_strings = db.session.scalars(
        select(PublishedItem.tags)
        .where(PublishedItem.conference_id == conference.id, PublishedItem.tags != "")
        .distinct()
    )
    tags = sorted({tag for tags in tag_strings for tag in tags.split(",") if tag})
    return list(tracks), list(rooms), tags


def load_day(
    conference: Conference, day: date, filters: Filters, *, user_id: int | None, now: datetime
) -> DayView:
    """The schedule page's content for ``day``: its slots, the "now and next" block while the
    conference runs, the latest release's badges and the stars of ``user_id``."""
    items = day_items(conference, day, filters)
    view = DayView(day=day, days=conference_days(conference), slots=group_by_slot(items))
    if is_running(conference, now):
        view.running, view.upcoming = now_and_next(conference, now)
    shown = list(dict.fromkeys(i.item_id for i in (*items, *view.running, *view.upcoming)))
    view.badges = latest_badges(conference, shown)
    view.starred, view.counts = star_summary(shown, user_id)
    view.day_counts = day_counts(conference, filters)
    return view
