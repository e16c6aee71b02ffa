"""Read-only views of the draft programme for organizers: lists, statuses, counts, history.

Each function runs a fixed number of queries whatever the programme's size.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.models import (
    ChangeKind,
    Conference,
    PublishedItem,
    Release,
    Room,
    ScheduleItem,
    Speaker,
    Track,
    User,
)
from confnet.programme.conflicts import Conflict, conflicts_by_item
from confnet.releases.services import latest_release, pending_changes, releases_of
from confnet.timefmt import to_local

SEARCH_MAX = 100


@dataclass
class ItemFilter:
    day: date | None = None
    room_id: int | None = None
    track_id: int | None = None
    text: str = ""


def local_day_bounds(day: date, tz) -> tuple[datetime, datetime]:
    """The UTC moments a local day starts and ends (23 or 25 hours long on DST days)."""
    return datetime.combine(day, time(0), tz), datetime.combine(
        day + timedelta(days=1), time(0), tz
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_items(conference: Conference, filters: ItemFilter) -> list[ScheduleItem]:
    """The conference's sessions matching ``filters``, by start time then room order."""
    query = (
        select(ScheduleItem)
        .outerjoin(ScheduleItem.room)
        .where(ScheduleItem.conference_id == conference.id)
        .options(
            selectinload(ScheduleItem.room),
            selectinload(ScheduleItem.track),
            selectinload(ScheduleItem.speakers),
        )
        .order_by(
            ScheduleItem.starts_at,
            ScheduleItem.room_id.is_(None),  # rooms first, on SQLite and PostgreSQL alike
            Room.position,
            Room.name,
            ScheduleItem.id,
        )
    )
    if filters.day is not None:
        start, end = local_day_bounds(filters.day, conference.tz)
        query = query.where(ScheduleItem.starts_at >= start, ScheduleItem.starts_at < end)
    if filters.room_id is not None:
        query = query.where(ScheduleItem.room_id == filters.room_id)
    if filters.track_id is not None:
        query = query.where(ScheduleItem.track_id == filters.track_id)
    text = " ".join(filters.text.split())[:SEARCH_MAX]
    if text:
        pattern = f"%{_escape_like(text)}%"
        query = query.where(
            or_(
                ScheduleItem.title.ilike(pattern, escape="\\"),
                ScheduleItem.tags.ilike(pattern, escape="\\"),
                ScheduleItem.speakers.any(Speaker.name.ilike(pattern, escape="\\")),
            )
        )
    return list(db.session.scalars(query))


def group_by_day(items: list[ScheduleItem], tz) -> list[tuple[date, list[ScheduleItem]]]:
    """``items`` (in time order) grouped by their local start day."""
    groups: dict[date, list[ScheduleItem]] = {}
    for item in items:
        groups.setdefault(to_local(item.starts_at, tz).date(), []).append(item)
    return list(groups.items())


def programme_days(conference: Conference) -> list[date]:
    """The conference's days, plus any other local day a session starts on."""
    days = {
        conference.starts_on + timedelta(days=n)
        for n in range((conference.ends_on - conference.starts_on).days + 1)
    }
    starts = db.session.scalars(
        select(ScheduleItem.starts_at).filter_by(conference_id=conference.id)
    )
    days.update(to_local(moment, conference.tz).date() for moment in starts)
    return sorted(days)


@dataclass
class ItemStatus:
    published: bool
    changes: list = field(default_factory=list)  # (ChangeKind, summary) still to publish

    @property
    def unpublished_changes(self) -> bool:
        return self.published and bool(self.changes)


def item_statuses(conference: Conference) -> dict[int, ItemStatus]:
    """For every session: published yet, and what the next release would change about it."""
    published = set(
        db.session.scalars(select(PublishedItem.item_id).filter_by(conference_id=conference.id))
    )
    pending = {change.item.id: change.changes for change in pending_changes(conference)}
    ids = db.session.scalars(select(ScheduleItem.id).filter_by(conference_id=conference.id))
    return {i: ItemStatus(i in published, pending.get(i, [])) for i in ids}


@dataclass
class Overview:
    sessions: int
    cancelled: int
    never_published: int
    unpublished_changes: int
    pending: int
    conflicts: int
    rooms: int
    tracks: int
    latest: Release | None


def programme_overview(conference: Conference, conflicts: list[Conflict]) -> Overview:
    """Counts for the organizer dashboard."""
    statuses = item_statuses(conference)

    def count(model, **where) -> int:
        query = select(func.count()).select_from(model)
        return db.session.scalar(query.filter_by(conference_id=conference.id, **where)) or 0

    cancelled = count(ScheduleItem, cancelled=True)
    return Overview(
        sessions=len(statuses) - cancelled,
        cancelled=cancelled,
        never_published=sum(not s.published for s in statuses.values()),
        unpublished_changes=sum(s.unpublished_changes for s in statuses.values()),
        pending=sum(bool(s.changes) for s in statuses.values()),
        conflicts=len(conflicts),
        rooms=count(Room),
        tracks=count(Track),
        latest=latest_release(conference),
    )


def conflict_groups(conflicts: list[Conflict]) -> list[tuple[ScheduleItem, list[Conflict]]]:
    """``[(item, its conflicts)]`` in programme order."""
    grouped = conflicts_by_item(conflicts)
    items = db.session.scalars(
        select(ScheduleItem)
        .where(ScheduleItem.id.in_(grouped))
        .options(selectinload(ScheduleItem.room))
        .order_by(ScheduleItem.starts_at, ScheduleItem.id)
    )
    return [(item, grouped[item.id]) for item in items]


@dataclass
class ReleaseEntry:
    release: Release
    publisher: str
    counts: list[tuple[ChangeKind, int]]


def release_history(conference: Conference) -> list[ReleaseEntry]:
    """Releases newest first, each with who published it and how many changes of each kind."""
    releases = releases_of(conference)
    ids = {r.published_by_id for r in releases if r.published_by_id}
    names = (
        dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
        if ids
        else {}
    )
    entries = []
    for release in releases:
        counter = Counter(change.kind for change in release.changes)
        counts = [(kind, counter[kind]) for kind in ChangeKind if counter[kind]]
        publisher = names.get(release.published_by_id, "unknown")
        entries.append(ReleaseEntry(release, publisher, counts))
    return entries
