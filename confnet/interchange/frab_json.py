"""frab schedule.json (version 1, https://c3voc.de/schedule/schema.json), as pretalx emits it.

Writing: ``$schema``, ``generator`` and ``schedule`` with the conference, its rooms and tracks,
and per day the rooms with their events. Persons follow pretalx (``name`` and the deprecated
``public_name``, no integer ``id``: the schema accepts a person in exactly one of the frab and
pretalx shapes). See ``confnet.interchange.frab`` for cancelled sessions and identifiers.

Reading: files from pretalx, frab or ours. An event's start is its ``date`` (ISO 8601; without
an offset it is local time) or else its day's ``date`` with ``start``; its end is ``end`` or
start plus ``duration``. Problems are located as "Day 2, room “Hall A”, event 3".
"""

import json
from datetime import date
from zoneinfo import ZoneInfo

from confnet.interchange import frab
from confnet.interchange.rows import (
    COLOUR,
    MAX_NAME,
    MAX_ROWS,
    MAX_TITLE,
    NO_ROOM_NAMES,
    ImportFailed,
    ImportRow,
    Person,
    Problem,
    RowChecker,
    cancelled_title,
    check_duplicates,
    check_url,
    file_problem,
    kind_from_frab,
    merge_description,
)
from confnet.interchange.snapshot import Day, Entry, ExportLinks, Snapshot, schedule_days
from confnet.timefmt import is_valid_timezone


def render(snapshot: Snapshot, links: ExportLinks) -> str:
    conference = snapshot.conference
    days = schedule_days(snapshot, NO_ROOM_NAMES)
    document = {
        "$schema": frab.JSON_SCHEMA,
        "generator": {"name": frab.GENERATOR},
        "schedule": {
            "url": links.conference_url,
            "version": snapshot.version,
            "base_url": links.base_url,
            "conference": {
                "acronym": frab.acronym(conference.slug),
                "title": conference.name,
                "start": days[0].date.isoformat(),
                "end": days[-1].date.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": frab.TIMESLOT,
                "time_zone_name": conference.timezone,
                "url": links.conference_url,
                "rooms": [_room(room, links) for room in snapshot.rooms],
                "tracks": [_track(track) for track in snapshot.tracks],
                "days": [_day_out(day, snapshot, links) for day in days],
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _room(room, links: ExportLinks) -> dict:
    return {
        "name": room.name,
        "slug": frab.name_slug(room.name, "room", room.id),
        "guid": str(frab.thing_guid(links, "room", room.id)),
        "description": room.notes or None,
        "capacity": room.capacity,
    }


def _track(track) -> dict:
    data = {"name": track.name, "slug": frab.name_slug(track.name, "track", track.id)}
    if COLOUR.match(track.colour or ""):
        data["color"] = track.colour
    return data


def _day_out(day: Day, snapshot: Snapshot, links: ExportLinks) -> dict:
    tz = snapshot.conference.tz
    return {
        "index": day.index,
        "date": day.date.isoformat(),
        "day_start": day.start.isoformat(),
        "day_end": day.end.isoformat(),
        "rooms": {
            name: [_event(entry, name, snapshot, links, tz) for entry in entries]
            for name, entries in day.rooms.items()
        },
    }


def _event(entry: Entry, room: str, snapshot: Snapshot, links: ExportLinks, tz) -> dict:
    return {
        "guid": str(entry.guid),
        "id": entry.id,
        "date": frab.local_iso(entry.starts_at, tz),
        "start": entry.starts_at.astimezone(tz).strftime("%H:%M"),
        "end": frab.local_iso(entry.ends_at, tz),
        "duration": frab.duration_of(entry),
        "room": room,
        "slug": frab.event_slug(snapshot.conference.slug, entry),
        "url": links.session_url(entry.id),
        "title": frab.title_of(entry),
        "subtitle": "",
        "track": entry.track,
        "type": entry.kind.value,
        "language": "",
        "abstract": entry.abstract,
        "description": "",
        "persons": [_person(person, links) for person in entry.speakers],
        "links": [{"title": label, "url": url, "type": "related"} for label, url in entry.links],
        "attachments": [],
    }


def _person(person, links: ExportLinks) -> dict:
    data = {"name": person.name, "public_name": person.name, "biography": person.bio or None}
    if person.id:
        data["guid"] = str(frab.thing_guid(links, "speaker", person.id))
    return data


def parse(text: str, tz: ZoneInfo) -> list[ImportRow]:
    """Every event of a schedule.json as rows; raises ImportFailed listing every problem."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise file_problem(
            f"This is not valid JSON ({err.msg} on line {err.lineno}, column {err.colno})."
        ) from None
    except RecursionError:
        raise file_problem("This JSON is nested too deeply to be a schedule.") from None
    conference = _object_at(document, ("schedule", "conference"))
    days = conference.get("days")
    if not isinstance(days, list):
        raise file_problem(
            "This is not a frab schedule.json: /schedule/conference/days is missing."
        )
    zone = conference.get("time_zone_name")
    if isinstance(zone, str) and is_valid_timezone(zone):
        tz = ZoneInfo(zone)
    context = _Context(conference, tz)
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    for number, day in enumerate(days, start=1):
        rows += _day(day, number, context, problems)
        if len(rows) > MAX_ROWS:
            raise file_problem(f"The file holds more than {MAX_ROWS} sessions: split it up.")
    check_duplicates(rows, problems)
    if problems:
        raise ImportFailed(problems)
    return rows


def _object_at(document, path: tuple[str, ...]) -> dict:
    node = document
    for depth, key in enumerate(path):
        node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            pointer = "/" + "/".join(path[: depth + 1])
            raise file_problem(f"This is not a frab schedule.json: {pointer} is missing.")
    return node


class _Context:
    def __init__(self, conference: dict, tz: ZoneInfo):
        self.tz = tz
        rooms = conference.get("rooms")
        tracks = conference.get("tracks")
        self.real_rooms = {r.get("name") for r in rooms or [] if isinstance(r, dict)}
        self.colours = {t.get("name"): t.get("color") for t in tracks or [] if isinstance(t, dict)}


def _day(day, number: int, context: _Context, problems: list[Problem]) -> list[ImportRow]:
    check = RowChecker(problems, f"Day {number}")
    if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
        check.fail("It has no “rooms” object.")
        return []
    day_date = None
    if day.get("date"):
        try:
            day_date = date.fromisoformat(str(day["date"]))
        except ValueError:
            check.fail(f"Its date “{day['date']}” is not a date like 2027-03-26.")
    rows = []
    for room, events in day["rooms"].items():
        if not isinstance(events, list):
            check.fail(f"Room “{room}” does not hold a list of events.")
            continue
        for position, event in enumerate(events, start=1):
            where = RowChecker(problems, f"Day {number}, room “{room}”, event {position}")
            row = _row(event, day_date, room, context, where)
            if row is not None:
                rows.append(row)
    return rows


def _row(event, day_date, room: str, context: _Context, check: RowChecker) -> ImportRow | None:
    if not isinstance(event, dict):
        check.fail("It is not an object.")
        return None
    title, cancelled = cancelled_title(check.text(event.get("title"), "The title", required=True))
    if len(title) > MAX_TITLE:
        check.fail(f"The title is {len(title)} characters long; the most is {MAX_TITLE}.")
    start, end = _times(event, day_date, context.tz, check)
    room = check.text(room, "The room name", max_length=MAX_NAME)
    track = check.text(event.get("track"), "The track", max_length=MAX_NAME) or None
    fields = {
        "room": None if room in NO_ROOM_NAMES and room not in context.real_rooms else room or None,
        "track": track,
        "track_colour": check.colour(context.colours.get(track)) if track else None,
        "abstract": merge_description(
            check.text(event.get("abstract"), "The abstract"),
            check.text(event.get("description"), "The description"),
        ),
        "cancelled": cancelled,
        "speakers": _persons(event.get("persons"), check),
        "links": _links(event.get("links"), check) + _links(event.get("attachments"), check),
    }
    row = ImportRow(
        where=check.where,
        line=None,
        guid=check.guid(event.get("guid")),
        title=title,
        kind=kind_from_frab(check.text(event.get("type"), "The type")),
        starts_at=start,
        ends_at=end,
        fields=fields,
    )
    row.valid = check.span(start, end) and not check.failed
    return row


def _times(event: dict, day_date, tz: ZoneInfo, check: RowChecker):
    value = event.get("date")
    if isinstance(value, str) and "T" in value:
        start = check.moment(value, tz, "The date")
    elif day_date is not None and event.get("start"):
        start = check.local_time(day_date, event.get("start"), tz, "The start")
    else:
        check.fail("The start is missing: give “date” (or the day's date and “start”).")
        start = None
    if event.get("end"):
        return start, check.moment(event["end"], tz, "The end")
    if not event.get("duration"):
        check.fail("The duration (or end) is missing.")
        return start, None
    length = check.duration(event.get("duration"))
    return start, (start + length if start is not None and length is not None else None)


def _persons(value, check: RowChecker) -> list[Person]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail("“persons” is not a list.")
        return []
    people: dict[str, Person] = {}
    for person in value:
        if isinstance(person, dict):
            person = (
                person.get("name") or person.get("public_name") or person.get("full_public_name")
            )
        name = check.text(person, "A speaker's name", max_length=MAX_NAME, required=True)
        if name:
            people.setdefault(name.casefold(), Person(name))
    return list(people.values())


def _links(value, check: RowChecker) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.fail("“links” and “attachments” must be lists.")
        return []
    links = []
    for link in value:
        if not isinstance(link, dict):
            check.fail("A link is not an object with “url” and “title”.")
            continue
        url = check_url(check, link.get("url"))
        label = check.text(link.get("title"), "A link's title", max_length=MAX_NAME)
        if url:
            links.append((label or "Link", url))
    return links
