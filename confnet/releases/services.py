"""Publishing the schedule as numbered releases with a changelog.

The draft (``ScheduleItem``) is compared with what attendees see (``PublishedItem``); publishing
copies every difference across in one transaction and records it as ``ReleaseChange`` rows.
Two organizers publishing at once cannot both get the same number: the conference row is locked
on PostgreSQL, write requests hold SQLite's write lock, and ``(conference_id, number)`` is unique.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    ChangeKind,
    Conference,
    PublishedItem,
    Release,
    ReleaseChange,
    ScheduleItem,
    User,
)
from confnet.programme.conflicts import find_conflicts
from confnet.timefmt import format_slot

# Fields copied from the draft to the published item as they are.
COPIED = (
    "guid",
    "title",
    "abstract",
    "kind",
    "track_id",
    "room_id",
    "starts_at",
    "ends_at",
    "capacity",
    "signup_required",
    "cancelled",
    "tags",
)


class NothingToPublish(DomainError):
    pass


class UnconfirmedConflicts(DomainError):
    pass


@dataclass
class PendingChange:
    item: ScheduleItem
    published: PublishedItem | None
    changes: list[tuple[ChangeKind, str]] = field(default_factory=list)


def _room_name(item) -> str:
    return item.room.name if item.room else "no room"


def _speaker_names(item: ScheduleItem) -> str:
    return ", ".join(s.name for s in item.speakers)


def describe_changes(item: ScheduleItem, published: PublishedItem | None, tz) -> list:
    """What publishing ``item`` would change for attendees, as ``(kind, summary)`` pairs."""
    if published is None:
        return [] if item.cancelled else [(ChangeKind.ADDED, "")]
    changes = []
    if item.cancelled != published.cancelled:
        kind = ChangeKind.CANCELLED if item.cancelled else ChangeKind.RESTORED
        changes.append((kind, ""))
    if (item.starts_at, item.ends_at) != (published.starts_at, published.ends_at):
        old = format_slot(published.starts_at, published.ends_at, tz)
        changes.append(
            (ChangeKind.MOVED, f"{old} → {format_slot(item.starts_at, item.ends_at, tz)}")
        )
    if item.room_id != published.room_id:
        changes.append((ChangeKind.ROOM_CHANGED, f"{_room_name(published)} → {_room_name(item)}"))
    if item.title != published.title:
        changes.append((ChangeKind.RENAMED, f"was “{published.title}”"))
    others = [
        f for f in COPIED if f not in ("title", "starts_at", "ends_at", "room_id", "cancelled")
    ]
    if not changes and (
        any(getattr(item, f) != getattr(published, f) for f in others)
        or _speaker_names(item) != published.speaker_names
    ):
        changes.append((ChangeKind.UPDATED, ""))
    return changes


def pending_changes(conference: Conference) -> list[PendingChange]:
    """Every draft item whose published version would change, in programme order."""
    items = db.session.scalars(
        select(ScheduleItem)
        .filter_by(conference_id=conference.id)
        .options(selectinload(ScheduleItem.speakers), selectinload(ScheduleItem.room))
        .order_by(ScheduleItem.starts_at, ScheduleItem.id)
    )
    # A separate query, not item.published: that may be cached from before the last release.
    published = {
        p.item_id: p
        for p in db.session.scalars(
            select(PublishedItem)
            .filter_by(conference_id=conference.id)
            .options(selectinload(PublishedItem.room))
        )
    }
    pending = []
    for item in items:
        changes = describe_changes(item, published.get(item.id), conference.tz)
        if changes:
            pending.append(PendingChange(item, published.get(item.id), changes))
    return pending


def _lock_conference(conference: Conference) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Conference.id).where(Conference.id == conference.id).with_for_update()
        )


def publish_schedule(
    conference: Conference,
    *,
    by: User | None,
    note: str = "",
    confirm_conflicts: bool = False,
    now: datetime | None = None,
) -> Release:
    """Publish every pending change as the next numbered release.

    Raises ``NothingToPublish`` when attendees already see the draft, and
    ``UnconfirmedConflicts`` when the draft has conflicts and ``confirm_conflicts`` is false.
    """
    _lock_conference(conference)
    pending = pending_changes(conference)
    if not pending:
        raise NothingToPublish("Attendees already see the current schedule: nothing to publish.")
    conflicts = find_conflicts(conference)
    if conflicts and not confirm_conflicts:
        raise UnconfirmedConflicts(
            f"The schedule has {len(conflicts)} conflict(s). Fix them, or confirm that you want "
            "to publish anyway."
        )
    now = now or utcnow()
    last = db.session.scalar(
        select(func.max(Release.number)).filter_by(conference_id=conference.id)
    )
    release = Release(
        conference_id=conference.id,
        number=(last or 0) + 1,
        published_at=now,
        published_by_id=by.id if by else None,
        note=note.strip(),
        conflicts_acknowledged=len(conflicts),
    )
    db.session.add(release)
    for change in pending:
        _apply(change, release, now)
    db.session.flush()
    return release


def _apply(change: PendingChange, release: Release, now: datetime) -> None:
    item, published = change.item, change.published
    if published is None:
        published = PublishedItem(
            item_id=item.id,
            conference_id=item.conference_id,
            first_release=release.number,
            created_at=now,
            sequence=0,
        )
        db.session.add(published)
    elif any(kind.noticeable for kind, _ in change.changes):
        published.sequence += 1
    for name in COPIED:
        setattr(published, name, getattr(item, name))
    published.speaker_names = _speaker_names(item)
    published.changed_in_release = release.number
    published.last_change = "; ".join(
        f"{kind.value}: {summary}" if summary else kind.value for kind, summary in change.changes
    )
    published.updated_at = now
    for kind, summary in change.changes:
        release.changes.append(ReleaseChange(item_id=item.id, kind=kind, summary=summary))


def releases_of(conference: Conference) -> list[Release]:
    """All releases, newest first, with their changes and items loaded."""
    query = (
        select(Release)
        .filter_by(conference_id=conference.id)
        .options(selectinload(Release.changes).selectinload(ReleaseChange.item))
        .order_by(Release.number.desc())
    )
    return list(db.session.scalars(query))


def latest_release(conference: Conference) -> Release | None:
    query = select(Release).filter_by(conference_id=conference.id)
    return db.session.scalar(query.order_by(Release.number.desc()).limit(1))
