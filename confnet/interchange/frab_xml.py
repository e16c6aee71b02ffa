"""frab schedule.xml (the pentabarf/frab/pretalx XML, c3voc's schedule.xml.xsd).

Writing uses the standard library: the file is built as a tree, never by pasting strings, and
characters XML 1.0 forbids are dropped. Persons carry the integer ``id`` attribute that ConfClerk
stores them by, and a ``guid``. See ``confnet.interchange.frab`` for cancelled sessions.

Reading uses lxml with entity resolution, network access, DTD loading and huge trees off, and a
file with a DOCTYPE or entity declarations is refused before parsing (no "billion laughs").
Problems are located by the line of the ``<event>`` element.
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (writing only; reading uses hardened lxml)
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

NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return NOT_XML_CHARS.sub("", str(text))


def render(snapshot: Snapshot, links: ExportLinks) -> bytes:
    conference = snapshot.conference
    days = schedule_days(snapshot, NO_ROOM_NAMES)
    root = ET.Element("schedule")
    _sub(root, "generator", name=frab.GENERATOR)
    _sub(root, "url", links.file_url)
    _sub(root, "version", snapshot.version)
    head = _sub(root, "conference")
    _sub(head, "acronym", frab.acronym(conference.slug))
    _sub(head, "title", conference.name)
    _sub(head, "start", days[0].date.isoformat())
    _sub(head, "end", days[-1].date.isoformat())
    _sub(head, "days", str(len(days)))
    _sub(head, "timeslot_duration", frab.TIMESLOT)
    _sub(head, "base_url", links.base_url)
    _sub(head, "url", links.conference_url)
    _sub(head, "time_zone_name", conference.timezone)
    for track in snapshot.tracks:
        attrs = {"name": track.name, "slug": frab.name_slug(track.name, "track", track.id)}
        if COLOUR.match(track.colour or ""):
            attrs["color"] = track.colour
        _sub(head, "track", **attrs)
    _days(root, days, snapshot, links)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _days(root, days: list[Day], snapshot: Snapshot, links: ExportLinks) -> None:
    tz = snapshot.conference.tz
    room_ids = {room.name: room.id for room in snapshot.rooms}
    for day in days:
        day_element = _sub(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=day.start.isoformat(),
            end=day.end.isoformat(),
        )
        for name, entries in day.rooms.items():
            attrs = {"name": name}
            if name in room_ids:  # the placeholder for items without a room has no guid
                attrs["guid"] = str(frab.thing_guid(links, "room", room_ids[name]))
            room_element = _sub(day_element, "room", **attrs)
            for entry in entries:
                _event(room_element, entry, name, snapshot, links, tz)


def _event(parent, entry: Entry, room: str, snapshot: Snapshot, links: ExportLinks, tz) -> None:
    event = _sub(parent, "event", guid=str(entry.guid), id=str(entry.id))
    _sub(event, "date", frab.local_iso(entry.starts_at, tz))
    _sub(event, "start", entry.starts_at.astimezone(tz).strftime("%H:%M"))
    _sub(event, "duration", frab.duration_of(entry))
    _sub(event, "room", room)
    _sub(event, "slug", frab.event_slug(snapshot.conference.slug, entry))
    _sub(event, "url", links.session_url(entry.id))
    _sub(event, "title", frab.title_of(entry))
    _sub(event, "subtitle")
    _sub(event, "track", entry.track or "")
    _sub(event, "type", entry.kind.value)
    _sub(event, "language")
    _sub(event, "abstract", entry.abstract)
    _sub(event, "description")
    persons = _sub(event, "persons")
    for person in entry.speakers:
        attrs = {}
        if person.id:
            attrs = {
                "id": str(person.id),
                "guid": str(frab.thing_guid(links, "speaker", person.id)),
            }
        _sub(persons, "person", person.name, **attrs)
    links_element = _sub(event, "links")
    for label, url in entry.links:
        _sub(links_element, "link", label, href=url)
    _sub(event, "attachments")


def parse(data: bytes, tz: ZoneInfo) -> list[ImportRow]:
    """Every event of a schedule.xml as rows; raises ImportFailed listing every problem."""
    root = _safe_root(data)
    zone = root.findtext("conference/time_zone_name")
    if zone and is_valid_timezone(zone.strip()):
        tz = ZoneInfo(zone.strip())
    colours = {track.get("name"): track.get("color") for track in root.iterfind("conference/track")}
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    for day in root.iterfind("day"):
        check = RowChecker(problems, f"Line {day.sourceline}", day.sourceline)
        day_date = None
        if day.get("date"):
            try:
                day_date = date.fromisoformat(day.get("date"))
            except ValueError:
                check.fail(f"The day's date “{day.get('date')}” is not a date like 2027-03-26.")
        for room in day.iterfind("room"):
            for event in room.iterfind("event"):
                row = _row(event, room, day_date, tz, problems)
                if row is not None:
                    colour = colours.get(row.fields["track"])
                    row.fields["track_colour"] = colour if COLOUR.match(colour or "") else None
                    rows.append(row)
        if len(rows) > MAX_ROWS:
            raise file_problem(f"The file holds more than {MAX_ROWS} sessions: split it up.")
    check_duplicates(rows, problems)
    if problems:
        raise ImportFailed(problems)
    return rows


def _safe_root(data: bytes):
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise file_problem(
            "XML files with a DOCTYPE or entity declarations are not accepted; "
            "a frab schedule.xml needs neither."
        )
    declared = DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise file_problem("The file must be UTF-8; it declares another encoding.")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise file_problem(f"This is not well-formed XML: {err.msg}.") from None
    if root.getroottree().docinfo.doctype:
        raise file_problem("XML files with a DOCTYPE are not accepted.")
    if root.tag != "schedule":
        raise file_problem(
            f"This is not a frab schedule.xml: it starts with <{root.tag}>, not <schedule>."
        )
    return root


def _row(event, room, day_date, tz: ZoneInfo, problems: list[Problem]) -> ImportRow | None:
    check = RowChecker(problems, f"Line {event.sourceline}", event.sourceline)
    text = event.findtext
    title, cancelled = cancelled_title(check.text(text("title"), "The title", required=True))
    if len(title) > MAX_TITLE:
        check.fail(f"The title is {len(title)} characters long; the most is {MAX_TITLE}.")
    start, end = _times(event, day_date, tz, check)
    name = check.text(room.get("name"), "The room name", max_length=MAX_NAME)
    is_placeholder = name in NO_ROOM_NAMES and room.get("guid") is None
    fields = {
        "room": None if is_placeholder else name or None,
        "track": check.text(text("track"), "The track", max_length=MAX_NAME) or None,
        "abstract": merge_description(
            check.text(text("abstract"), "The abstract"),
            check.text(text("description"), "The description"),
        ),
        "cancelled": cancelled,
        "speakers": _persons(event, check),
        "links": _links(event, "links/link", check)
        + _links(event, "attachments/attachment", check),
    }
    row = ImportRow(
        where=check.where,
        line=event.sourceline,
        guid=check.guid(event.get("guid")),
        title=title,
        kind=kind_from_frab(check.text(text("type"), "The type")),
        starts_at=start,
        ends_at=end,
        fields=fields,
    )
    row.valid = check.span(start, end) and not check.failed
    return row


def _times(event, day_date, tz: ZoneInfo, check: RowChecker):
    moment = (event.findtext("date") or "").strip()
    if "T" in moment:
        start = check.moment(moment, tz, "The date")
    elif day_date is not None and event.findtext("start"):
        start = check.local_time(day_date, event.findtext("start"), tz, "The start")
    else:
        check.fail("The start is missing: give <date> (or the day's date and <start>).")
        start = None
    if not (event.findtext("duration") or "").strip():
        check.fail("The duration is missing.")
        return start, None
    length = check.duration(event.findtext("duration"))
    return start, (start + length if start is not None and length is not None else None)


def _persons(event, check: RowChecker) -> list[Person]:
    people: dict[str, Person] = {}
    for person in event.iterfind("persons/person"):
        name = check.text(person.text, "A speaker's name", max_length=MAX_NAME, required=True)
        if name:
            people.setdefault(name.casefold(), Person(name))
    return list(people.values())


def _links(event, path: str, check: RowChecker) -> list[tuple[str, str]]:
    links = []
    for link in event.iterfind(path):
        url = check_url(check, link.get("href"))
        label = check.text(link.text, "A link's title", max_length=MAX_NAME)
        if url:
            links.append((label or "Link", url))
    return links
