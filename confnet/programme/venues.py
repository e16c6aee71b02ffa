"""Rooms and tracks of a conference: create, rename, delete (only while nothing uses them).

Names are unique per conference; the database's unique constraint decides, so two organizers
adding the same room at once get one room and one readable refusal. On PostgreSQL the
conference row is locked first (see ``lock_programme``) so that a delete cannot race a session
being moved into the room.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference, PublishedItem, Room, ScheduleItem, Track
from confnet.programme.parsing import FieldError, clean_name, parse_colour

NOTES_MAX = 200
CAPACITY_MAX = 100_000


class InUse(DomainError):
    """A room or track that sessions still use cannot be deleted."""


def lock_programme(conference: Conference) -> None:
    """Serialise programme writes per conference on PostgreSQL (SQLite: BEGIN IMMEDIATE)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Conference.id).where(Conference.id == conference.id).with_for_update()
        )


@dataclass
class RoomInput:
    name: str
    capacity: int | None = None
    notes: str = ""
    position: int = 0


def _check_capacity(capacity: int | None, field: str = "capacity") -> int | None:
    if capacity is not None and not 0 < capacity <= CAPACITY_MAX:
        raise FieldError(field, f"A whole number from 1 to {CAPACITY_MAX}, or empty.")
    return capacity


def _clean_room(data: RoomInput) -> dict:
    notes = " ".join((data.notes or "").split())
    if len(notes) > NOTES_MAX:
        raise FieldError("notes", f"At most {NOTES_MAX} characters.")
    if not -1000 <= (data.position or 0) <= 1000:
        raise FieldError("position", "A number from -1000 to 1000.")
    return {
        "name": clean_name(data.name),
        "capacity": _check_capacity(data.capacity),
        "notes": notes,
        "position": data.position or 0,
    }


def _save_unique(obj, values: dict, what: str) -> None:
    """Apply ``values`` inside a savepoint; a duplicate name becomes a ``FieldError``."""
    try:
        with db.session.begin_nested():
            for name, value in values.items():
                setattr(obj, name, value)
            db.session.add(obj)
            db.session.flush()
    except IntegrityError:
        raise FieldError(
            "name", f"This conference already has a {what} called “{values['name']}”."
        ) from None


def create_room(conference: Conference, data: RoomInput) -> Room:
    values = _clean_room(data)
    room = Room(conference_id=conference.id)
    _save_unique(room, values, "room")
    return room


def update_room(room: Room, data: RoomInput) -> None:
    _save_unique(room, _clean_room(data), "room")


def rooms_of(conference: Conference) -> list[tuple[Room, int]]:
    """Rooms in their display order, each with the number of sessions in it."""
    used = (
        select(ScheduleItem.room_id, func.count().label("n"))
        .filter_by(conference_id=conference.id)
        .group_by(ScheduleItem.room_id)
        .subquery()
    )
    query = (
        select(Room, func.coalesce(used.c.n, 0))
        .outerjoin(used, used.c.room_id == Room.id)
        .filter(Room.conference_id == conference.id)
        .order_by(Room.position, Room.name)
    )
    return [(room, count) for room, count in db.session.execute(query)]


def rooms_in_order(conference: Conference) -> list[Room]:
    query = select(Room).filter_by(conference_id=conference.id)
    return list(db.session.scalars(query.order_by(Room.position, Room.name)))


def tracks_in_order(conference: Conference) -> list[Track]:
    query = select(Track).filter_by(conference_id=conference.id)
    return list(db.session.scalars(query.order_by(Track.name)))


def _refuse_if_used(column_draft, column_published, obj_id: int, what: str) -> None:
    drafts = db.session.scalar(select(func.count()).where(column_draft == obj_id)) or 0
    published = db.session.scalar(select(func.count()).where(column_published == obj_id)) or 0
    if drafts:
        raise InUse(
            f"{drafts} session(s) still use this {what}. Move them elsewhere first, then delete it."
        )
    if published:
        raise InUse(
            f"Attendees still see this {what} on published sessions. Publish the schedule "
            "without it first, then delete it."
        )


def delete_room(conference: Conference, room: Room) -> None:
    """Delete a room no session (draft or published) uses; otherwise raise ``InUse``."""
    lock_programme(conference)
    _refuse_if_used(ScheduleItem.room_id, PublishedItem.room_id, room.id, "room")
    db.session.delete(room)
    db.session.flush()


@dataclass
class TrackInput:
    name: str
    colour: str = "#4455aa"


def _clean_track(data: TrackInput) -> dict:
    return {"name": clean_name(data.name), "colour": parse_colour(data.colour)}


def create_track(conference: Conference, data: TrackInput) -> Track:
    values = _clean_track(data)
    track = Track(conference_id=conference.id)
    _save_unique(track, values, "track")
    return track


def update_track(track: Track, data: TrackInput) -> None:
    _save_unique(track, _clean_track(data), "track")


def tracks_of(conference: Conference) -> list[tuple[Track, int]]:
    """Tracks by name, each with the number of sessions in it."""
    used = (
        select(ScheduleItem.track_id, func.count().label("n"))
        .filter_by(conference_id=conference.id)
        .group_by(ScheduleItem.track_id)
        .subquery()
    )
    query = (
        select(Track, func.coalesce(used.c.n, 0))
        .outerjoin(used, used.c.track_id == Track.id)
        .filter(Track.conference_id == conference.id)
        .order_by(Track.name)
    )
    return [(track, count) for track, count in db.session.execute(query)]


def delete_track(conference: Conference, track: Track) -> None:
    """Delete a track no session (draft or published) uses; otherwise raise ``InUse``."""
    lock_programme(conference)
    _refuse_if_used(ScheduleItem.track_id, PublishedItem.track_id, track.id, "track")
    db.session.delete(track)
    db.session.flush()
