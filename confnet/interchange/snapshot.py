"""The schedule as the export formats see it, loaded in a fixed number of queries.

``published_snapshot`` reads ``PublishedItem`` rows only, so a draft edit never reaches an
export. Speakers: the published ``speaker_names`` text is the truth; the item's current
``Speaker`` rows are used for ids only while they still match it (a speaker added in the draft
must not appear before the next release). ``draft_snapshot`` reads ``ScheduleItem`` rows for
the organizers' own CSV.

Schedule days follow pretalx: a day runs from 04:00 to 03:59 the next morning (local time), so
an item starting before 04:00 belongs to the evening before. 04:00 is never skipped or repeated
by a DST change in Europe. Every conference day is listed even when empty, and a day outside the
conference's dates is added when an item falls on it.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemKind,
    ItemLink,
    PublishedItem,
    Release,
    Room,
    ScheduleItem,
    Speaker,
    Track,
)
from confnet.models.programme import item_speakers

DAY_CHANGE = time(4, 0)


@dataclass(frozen=True)
class ExportLinks:
    """Absolute URLs for an export, built by the caller (services never call url_for)."""

    base_url: str  # the site root, ending in "/"
    conference_url: str
    file_url: str  # where this very file can be fetched
    session_url: Callable[[int], str]


@dataclass(frozen=True)
class Person:
    name: str
    id: int | None = None
    bio: str = ""


@dataclass
class Entry:
    id: int
    guid: uuid.UUID
    title: str
    abstract: str
    kind: ItemKind
    room: str | None
    track: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    signup_required: bool
    cancelled: bool
    tags: str
    speakers: list[Person] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Snapshot:
    conference: Conference
    release: int  # 0 before the first release
    rooms: list[Room]
    tracks: list[Track]
    entries: list[Entry]

    @property
    def version(self) -> str:
        return f"Release {self.release}" if self.release else "0"


@dataclass
class Day:
    index: int
    date: date
    start: datetime  # local, aware
    end: datetime
    rooms: dict[str, list[Entry]]


def latest_release_number(conference: Conference) -> int:
    query = select(func.max(Release.number)).filter_by(conference_id=conference.id)
    return db.session.scalar(query) or 0


def _rooms_and_tracks(conference: Conference) -> tuple[list[Room], list[Track]]:
    rooms = db.session.scalars(
        select(Room).filter_by(conference_id=conference.id).order_by(Room.position, Room.name)
    )
    tracks = db.session.scalars(
        select(Track).filter_by(conference_id=conference.id).order_by(Track.name)
    )
    return list(rooms), list(tracks)


def _links_by_item(item_ids) -> dict[int, list[tuple[str, str]]]:
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    query = select(ItemLink.item_id, ItemLink.label, ItemLink.url).where(
        ItemLink.item_id.in_(item_ids)
    )
    for item_id, label, url in db.session.execute(
        query.order_by(ItemLink.item_id, ItemLink.position)
    ):
        links[item_id].append((label, url))
    return links


# What an export shows of a published item, read as plain rows: a thousand ORM objects would
# cost more to build (and to collect) than the rest of the export.
_PUBLISHED = (
    PublishedItem.item_id,
    PublishedItem.guid,
    PublishedItem.title,
    PublishedItem.abstract,
    PublishedItem.kind,
    PublishedItem.room_id,
    PublishedItem.track_id,
    PublishedItem.starts_at,
    PublishedItem.ends_at,
    PublishedItem.capacity,
    PublishedItem.signup_required,
    PublishedItem.cancelled,
    PublishedItem.tags,
    PublishedItem.speaker_names,
)


def published_snapshot(conference: Conference) -> Snapshot:
    """What attendees see, in seven queries whatever the size of the programme."""
    release = latest_release_number(conference)
    rooms, tracks = _rooms_and_tracks(conference)
    published = db.session.execute(
        select(*_PUBLISHED)
        .filter_by(conference_id=conference.id)
        .order_by(PublishedItem.starts_at, PublishedItem.item_id)
    ).all()
    published_ids = select(PublishedItem.item_id).filter_by(conference_id=conference.id)
    people = select(Speaker.id, Speaker.name, Speaker.bio).filter_by(conference_id=conference.id)
    speakers = {s.id: s for s in db.session.execute(people)}
    speaker_ids: dict[int, list[int]] = defaultdict(list)
    # Ordered like ScheduleItem.speakers, which publishing joined into speaker_names.
    pairs = (
        select(item_speakers.c.item_id, item_speakers.c.speaker_id)
        .join(Speaker, Speaker.id == item_speakers.c.speaker_id)
        .where(item_speakers.c.item_id.in_(published_ids))
        .order_by(Speaker.name)
    )
    for item_id, speaker_id in db.session.execute(pairs):
        speaker_ids[item_id].append(speaker_id)
    links = _links_by_item(published_ids)
    room_names = {room.id: room.name for room in rooms}
    track_names = {track.id: track.name for track in tracks}
    by_name = {}
    for speaker in sorted(speakers.values(), key=lambda s: s.id, reverse=True):
        by_name[speaker.name] = speaker
    entries = []
    for item in published:
        current = [speakers[i] for i in speaker_ids[item.item_id]]
        entry = _entry(item, item.item_id, room_names, track_names, links)
        entry.speakers = _published_people(item.speaker_names, current, by_name)
        entries.append(entry)
    return Snapshot(conference, release, rooms, tracks, entries)


def _published_people(names: str, current: list, by_name: dict) -> list[Person]:
    """``current`` and ``by_name``'s values: speakers' rows (id, name, bio)."""
    if ", ".join(s.name for s in current) == names:
        return [Person(s.name, s.id, s.bio) for s in current]
    mine = {s.name: s for s in current}
    people = []
    for name in (n.strip() for n in names.split(", ")):
        if name:
            speaker = mine.get(name) or by_name.get(name)
            people.append(Person(name, speaker.id, speaker.bio) if speaker else Person(name))
    return people


def draft_snapshot(conference: Conference) -> Snapshot:
    """The organizers' draft, every item, in five queries."""
    rooms, tracks = _rooms_and_tracks(conference)
    items = db.session.scalars(
        select(ScheduleItem)
        .filter_by(conference_id=conference.id)
        .options(selectinload(ScheduleItem.speakers), selectinload(ScheduleItem.links))
        .order_by(ScheduleItem.starts_at, ScheduleItem.id)
    )
    room_names = {room.id: room.name for room in rooms}
    track_names = {track.id: track.name for track in tracks}
    entries = []
    for item in items:
        links = {item.id: [(link.label, link.url) for link in item.links]}
        entry = _entry(item, item.id, room_names, track_names, links)
        entry.speakers = [Person(s.name, s.id, s.bio) for s in item.speakers]
        entries.append(entry)
    return Snapshot(conference, latest_release_number(conference), rooms, tracks, entries)


def _entry(item, item_id: int, room_names, track_names, links) -> Entry:
    return Entry(
        id=item_id,
        guid=item.guid,
        title=item.title,
        abstract=item.abstract or "",
        kind=item.kind,
        room=room_names.get(item.room_id),
        track=track_names.get(item.track_id),
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        capacity=item.capacity,
        signup_required=item.signup_required,
        cancelled=item.cancelled,
        tags=item.tags or "",
        links=links.get(item_id, []),
    )


def schedule_day(moment: datetime, tz) -> date:
    """The schedule day an item starting at ``moment`` belongs to (see the module docstring)."""
    local = moment.astimezone(tz)
    return local.date() - timedelta(days=1) if local.time() < DAY_CHANGE else local.date()


def schedule_days(snapshot: Snapshot, placeholders: tuple[str, ...]) -> list[Day]:
    """The days of the schedule, each with its rooms (in room order) and their entries; items
    without a room go to the first of ``placeholders`` that is not a real room's name."""
    conference, tz = snapshot.conference, snapshot.conference.tz
    real = {room.name for room in snapshot.rooms}
    no_room = next((name for name in placeholders if name not in real), placeholders[-1])
    span = (conference.ends_on - conference.starts_on).days + 1
    dates = {conference.starts_on + timedelta(days=i) for i in range(span)}
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in snapshot.entries:
        by_day[schedule_day(entry.starts_at, tz)].append(entry)
    order = {room.name: position for position, room in enumerate(snapshot.rooms)}
    days = []
    for index, day in enumerate(sorted(dates | set(by_day)), start=1):
        rooms: dict[str, list[Entry]] = defaultdict(list)
        for entry in by_day.get(day, []):
            rooms[entry.room or no_room].append(entry)
        names = sorted(rooms, key=lambda name: (order.get(name, len(order)), name))
        days.append(
            Day(
                index=index,
                date=day,
                start=datetime.combine(day, DAY_CHANGE, tz),
                end=datetime.combine(day + timedelta(days=1), DAY_CHANGE, tz)
                - timedelta(minutes=1),
                rooms={name: rooms[name] for name in names},
            )
        )
    return days
