"""Writing checked import rows into a conference's draft.

Runs only after every row of the file passed its checks, so it has nothing left to refuse: a
session with the same guid in this conference is updated, any other row creates one. Rooms,
tracks and speakers are matched by name (ignoring case) and created when missing. A guid that
already belongs to a session of another conference on this site (the column is unique) is
replaced by a name-based UUID derived from it and this conference, so importing the same file
again still updates the same sessions. Flushes; the caller commits.
"""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.interchange.rows import ImportRow, Person
from confnet.models import Conference, ItemLink, Room, ScheduleItem, Speaker, Track, User

# Dark enough for white text (at least 4.5:1), like the demo's track colours.
PALETTE = ("#1d4ed8", "#b42318", "#047857", "#6d28d9", "#b45309", "#0e7490", "#be185d")
PLAIN_FIELDS = ("abstract", "tags", "capacity", "signup_required", "cancelled")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    rekeyed: int = 0
    rooms: list[str] = field(default_factory=list)
    tracks: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def message(self) -> str:
        """One paragraph for the organizer (flash message and CLI output)."""
        total = self.created + self.updated
        parts = [
            f"Imported {total} session{'s' if total != 1 else ''}: "
            f"{self.created} new, {self.updated} updated."
        ]
        if self.rooms:
            parts.append(f"New rooms: {', '.join(self.rooms)}.")
        if self.tracks:
            parts.append(f"New tracks: {', '.join(self.tracks)}.")
        if self.speakers:
            parts.append(f"New speakers: {len(self.speakers)}.")
        if self.rekeyed:
            parts.append(
                f"{self.rekeyed} session(s) carried the guid of a session of another conference "
                "and got a guid of their own."
            )
        if self.ignored_columns:
            parts.append(f"Ignored columns: {', '.join(self.ignored_columns)}.")
        parts.append(
            "The changes are in the draft: attendees see them once you publish the schedule."
        )
        return " ".join(parts)


class ConcurrentImport(DomainError):
    pass


def _lock(conference: Conference) -> None:
    """Serialise imports (and publishing) per conference on PostgreSQL; SQLite write
    transactions are serialised already (BEGIN IMMEDIATE)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Conference.id).where(Conference.id == conference.id).with_for_update()
        )


class _Names:
    """Rooms, tracks and speakers of the conference by case-folded name, created on demand."""

    def __init__(self, conference: Conference, rows: list[ImportRow], summary: ImportSummary):
        self.conference, self.summary = conference, summary
        cid = conference.id
        self.rooms = self._load(select(Room).filter_by(conference_id=cid).order_by(Room.id))
        self.tracks = self._load(select(Track).filter_by(conference_id=cid).order_by(Track.id))
        self.speakers = self._load(
            select(Speaker).filter_by(conference_id=cid).order_by(Speaker.id)
        )
        position = select(func.max(Room.position)).filter_by(conference_id=cid)
        self.next_position = (db.session.scalar(position) or 0) + 1
        emails = {p.email for row in rows for p in row.fields.get("speakers") or [] if p.email}
        query = select(User.email, User.id).where(User.email.in_(emails))
        self.users = {email: uid for email, uid in db.session.execute(query)} if emails else {}

    @staticmethod
    def _load(query) -> dict:
        found: dict = {}
        for thing in db.session.scalars(query):
            found.setdefault(thing.name.casefold(), thing)
        return found

    def room(self, name: str | None) -> Room | None:
        if name is None:
            return None
        if name.casefold() not in self.rooms:
            room = Room(conference_id=self.conference.id, name=name, position=self.next_position)
            self.next_position += 1
            db.session.add(room)
            self.rooms[name.casefold()] = room
            self.summary.rooms.append(name)
        return self.rooms[name.casefold()]

    def track(self, name: str | None, colour: str | None) -> Track | None:
        if name is None:
            return None
        if name.casefold() not in self.tracks:
            colour = colour or PALETTE[len(self.summary.tracks) % len(PALETTE)]
            track = Track(conference_id=self.conference.id, name=name, colour=colour)
            db.session.add(track)
            self.tracks[name.casefold()] = track
            self.summary.tracks.append(name)
        return self.tracks[name.casefold()]

    def speaker(self, person: Person) -> Speaker:
        speaker = self.speakers.get(person.name.casefold())
        if speaker is None:
            speaker = Speaker(conference_id=self.conference.id, name=person.name)
            db.session.add(speaker)
            self.speakers[person.name.casefold()] = speaker
            self.summary.speakers.append(person.name)
        if speaker.user_id is None and person.email in self.users:
            speaker.user_id = self.users[person.email]
        return speaker


def apply_rows(conference: Conference, rows: list[ImportRow]) -> ImportSummary:
    """Create or update one draft item per row (see the module docstring)."""
    _lock(conference)
    summary = ImportSummary()
    existing = {
        item.guid: item
        for item in db.session.scalars(
            select(ScheduleItem)
            .filter_by(conference_id=conference.id)
            .options(selectinload(ScheduleItem.speakers), selectinload(ScheduleItem.links))
        )
    }
    file_guids = [row.guid for row in rows if row.guid is not None]
    foreign = set(
        db.session.scalars(
            select(ScheduleItem.guid).where(
                ScheduleItem.guid.in_(file_guids), ScheduleItem.conference_id != conference.id
            )
        )
        if file_guids
        else []
    )
    names = _Names(conference, rows, summary)
    for row in rows:
        guid = row.guid or uuid.uuid4()
        if guid in foreign:
            guid = uuid.uuid5(guid, f"confnet-conference-{conference.id}")
            summary.rekeyed += 1
        item = existing.get(guid)
        if item is None:
            item = ScheduleItem(conference_id=conference.id, guid=guid, speakers=[], links=[])
            db.session.add(item)
            summary.created += 1
        else:
            summary.updated += 1
        _update(item, row, names)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ConcurrentImport(
            "Someone changed this programme at the same moment; nothing was imported. Try again."
        ) from None
    return summary


def _update(item: ScheduleItem, row: ImportRow, names: _Names) -> None:
    item.title, item.kind = row.title, row.kind
    item.starts_at, item.ends_at = row.starts_at, row.ends_at
    fields = row.fields
    if "room" in fields:
        item.room = names.room(fields["room"])
    if "track" in fields:
        item.track = names.track(fields["track"], fields.get("track_colour"))
    for name in PLAIN_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    if "speakers" in fields:
        speakers = [names.speaker(person) for person in fields["speakers"]]
        if list(item.speakers) != speakers:
            item.speakers = speakers
    if "links" in fields:
        wanted = fields["links"]
        if [(link.label, link.url) for link in item.links] != wanted:
            item.links = [
                ItemLink(label=label, url=url, position=position)
                for position, (label, url) in enumerate(wanted)
            ]
