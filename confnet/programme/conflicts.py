"""Schedule conflicts: what an organizer must fix (or knowingly accept) before publishing.

A conflict is a room or a speaker booked twice at overlapping times, an item outside the
conference's days, an item that ends before it starts, or a capacity above the room's. Cancelled
items never conflict. Detection runs in a fixed number of queries and O(n log n) time.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.models import Conference, ScheduleItem
from confnet.timefmt import format_date_range, format_slot


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room", "speaker", "dates", "times", "capacity"
    item_id: int
    message: str
    other_id: int | None = None


def _draft_items(conference: Conference) -> list[ScheduleItem]:
    query = (
        select(ScheduleItem)
        .filter_by(conference_id=conference.id, cancelled=False)
        .options(selectinload(ScheduleItem.speakers), selectinload(ScheduleItem.room))
        .order_by(ScheduleItem.starts_at, ScheduleItem.id)
    )
    return list(db.session.scalars(query))


def _overlaps(items: list[ScheduleItem]):
    """Pairs of items whose times overlap (touching end-to-start is fine)."""
    ordered = sorted(items, key=lambda i: (i.starts_at, i.id))
    active: list[ScheduleItem] = []
    for item in ordered:
        active = [a for a in active if a.ends_at > item.starts_at]
        for earlier in active:
            yield earlier, item
        active.append(item)


def find_conflicts(conference: Conference) -> list[Conflict]:
    """Every conflict in the conference's draft schedule, each pair reported once per side."""
    items = _draft_items(conference)
    tz = conference.tz
    conflicts: list[Conflict] = []
    first = datetime.combine(conference.starts_on, time(0), tz)
    after_last = datetime.combine(conference.ends_on + timedelta(days=1), time(0), tz)
    by_room: dict[int, list[ScheduleItem]] = defaultdict(list)
    by_speaker: dict[int, list[ScheduleItem]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in items:
        if item.ends_at <= item.starts_at:
            conflicts.append(Conflict("times", item.id, "It ends before it starts."))
            continue
        if item.starts_at < first or item.ends_at > after_last:
            days = format_date_range(conference.starts_on, conference.ends_on)
            conflicts.append(
                Conflict("dates", item.id, f"It is outside the conference's days ({days}).")
            )
        if item.room_id is not None:
            by_room[item.room_id].append(item)
            room_capacity = item.room.capacity
            if item.capacity and room_capacity is not None and item.capacity > room_capacity:
                message = (
                    f"Its {item.capacity} places are more than {item.room.name} holds "
                    f"({room_capacity})."
                )
                conflicts.append(Conflict("capacity", item.id, message))
        for speaker in item.speakers:
            by_speaker[speaker.id].append(item)
            names[speaker.id] = speaker.name
    for room_items in by_room.values():
        for a, b in _overlaps(room_items):
            conflicts += _pair("room", a, b, f"{a.room.name} is also booked for", tz)
    for speaker_id, speaker_items in by_speaker.items():
        for a, b in _overlaps(speaker_items):
            conflicts += _pair("speaker", a, b, f"{names[speaker_id]} also speaks in", tz)
    return conflicts


def _pair(kind: str, a: ScheduleItem, b: ScheduleItem, lead: str, tz) -> list[Conflict]:
    def about(other: ScheduleItem) -> str:
        return f"{lead} “{other.title}” ({format_slot(other.starts_at, other.ends_at, tz)})."

    return [Conflict(kind, a.id, about(b), b.id), Conflict(kind, b.id, about(a), a.id)]


def conflicts_by_item(conflicts: list[Conflict]) -> dict[int, list[Conflict]]:
    grouped: dict[int, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        grouped[conflict.item_id].append(conflict)
    return dict(grouped)
