"""Feeds are strict RFC 5545 and every parser reads every time the same way.

The calendar is written with ``icalendar`` and read back with it, with Home Assistant's ``ical``
and with ``vobject`` (and with Mozilla's ical.js, which Thunderbird uses, when it is installed:
``npm install --prefix /tmp/icaljs ical.js``, or point ``CONFNET_ICALJS`` at such a folder).
``read_feed`` is used by the other feed tests to follow sessions through their life.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from confnet.feeds.ics import CalendarMeta, FeedEvent, render_calendar

ICALJS = Path(os.environ.get("CONFNET_ICALJS", "/tmp/icaljs")) / "node_modules" / "ical.js"
ICALJS_SCRIPT = """
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const comp = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const tz of comp.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
const out = {};
for (const v of comp.getAllSubcomponents("vevent")) {
  const e = new ICAL.Event(v);
  out[e.uid] = [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString(),
    v.getFirstPropertyValue("status"), e.sequence, e.summary];
}
console.log(JSON.stringify(out));
"""


@dataclass(frozen=True)
class Seen:
    """One event as a parser read it; times in UTC."""

    start: datetime
    end: datetime
    status: str
    sequence: int
    summary: str


def _utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, "a floating time: the parser lost the zone"
    return value.astimezone(UTC)


def with_icalendar(data: bytes) -> dict[str, Seen]:
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(e["uid"]): Seen(
            _utc(e.decoded("dtstart")),
            _utc(e.decoded("dtend")),
            str(e["status"]),
            int(e["sequence"]),
            str(e["summary"]),
        )
        for e in calendar.walk("VEVENT")
    }


def with_ical(data: bytes) -> dict[str, Seen]:
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    return {
        e.uid: Seen(_utc(e.dtstart), _utc(e.dtend), e.status.value, e.sequence, e.summary)
        for e in calendar.events
    }


def with_vobject(data: bytes) -> dict[str, Seen]:
    calendar = vobject.readOne(data.decode())
    return {
        e.uid.value: Seen(
            _utc(e.dtstart.value),
            _utc(e.dtend.value),
            e.status.value,
            int(e.sequence.value),
            e.summary.value,
        )
        for e in getattr(calendar, "vevent_list", [])
    }


def with_icaljs(data: bytes) -> dict[str, Seen]:
    node = shutil.which("node")
    result = subprocess.run(
        [node, "--input-type=module", "-e", ICALJS_SCRIPT],
        input=data,
        capture_output=True,
        check=True,
        cwd=ICALJS.parent.parent,
        env={**os.environ, "TZ": "Pacific/Auckland"},  # a floating time would show
        timeout=60,
    )
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return {
        uid: Seen(parse(s), parse(e), status, sequence, summary)
        for uid, (s, e, status, sequence, summary) in json.loads(result.stdout).items()
    }


def icaljs_available() -> bool:
    return ICALJS.is_dir() and shutil.which("node") is not None


PARSERS = {"icalendar": with_icalendar, "ical": with_ical, "vobject": with_vobject}
if icaljs_available():
    PARSERS["ical.js"] = with_icaljs


def read_feed(data: bytes) -> dict[str, Seen]:
    """The events of ``data`` (uid -> Seen), after checking that it is strictly formed and
    that every parser reads exactly the same times, statuses, sequences and summaries."""
    assert_strict(data)
    readings = {name: parse(data) for name, parse in PARSERS.items()}
    first = readings.pop("icalendar")
    for name, reading in readings.items():
        assert reading == first, f"{name} reads the feed differently"
    return first


def assert_strict(data: bytes) -> None:
    """CRLF line ends only, lines of at most 75 octets that are whole UTF-8, no control
    characters, one VCALENDAR, unique UIDs, and no METHOD but PUBLISH."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        text = line.decode("utf-8")  # raises if a fold split a character
        assert not any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in text), line
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    unfolded = data.replace(b"\r\n ", b"").decode().split("\r\n")
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(uids) == len(set(uids))
    assert [m for m in unfolded if m.startswith("METHOD")] in ([], ["METHOD:PUBLISH"])


def event(uid: str, start: datetime, minutes: int = 45, tz: str = "Europe/Amsterdam", **kw):
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    return FeedEvent(
        uid=uid,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        tz=tz,
        summary=kw.pop("summary", f"Session {uid}"),
        created=moment,
        last_modified=moment,
        **kw,
    )


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Around the changes of 2027: Europe springs forward on 28 March (02:00 -> 03:00) and falls
# back on 31 October (03:00 -> 02:00: 02:00-03:00 local happens twice); New York on 14 March;
# Sydney (southern hemisphere) falls back on 4 April. Plus odd offsets and a zone without DST.
TRICKY = [
    ("spring-before", at(2027, 3, 28, 0, 30), "Europe/Amsterdam"),
    ("spring-across", at(2027, 3, 28, 0, 45), "Europe/Amsterdam"),
    ("spring-after", at(2027, 3, 28, 1, 0), "Europe/Amsterdam"),
    ("autumn-first-0230", at(2027, 10, 31, 0, 30), "Europe/Amsterdam"),
    ("autumn-second-0230", at(2027, 10, 31, 1, 30), "Europe/Amsterdam"),
    ("autumn-0200", at(2027, 10, 31, 0, 0), "Europe/Amsterdam"),
    ("autumn-0300", at(2027, 10, 31, 2, 0), "Europe/Amsterdam"),
    ("new-york", at(2027, 3, 14, 6, 30), "America/New_York"),
    ("new-york-after", at(2027, 3, 14, 7, 30), "America/New_York"),
    ("sydney", at(2027, 4, 3, 15, 30), "Australia/Sydney"),
    ("sydney-after", at(2027, 4, 3, 16, 30), "Australia/Sydney"),
    ("kolkata", at(2027, 3, 28, 4, 0), "Asia/Kolkata"),
    ("chatham", at(2027, 4, 3, 13, 0), "Pacific/Chatham"),
    ("st-johns", at(2027, 11, 7, 4, 0), "America/St_Johns"),
    ("utc", at(2027, 3, 28, 1, 15), "UTC"),
    ("new-year", at(2027, 12, 31, 23, 30), "Europe/Amsterdam"),
]


def test_every_parser_reads_every_time_the_same_across_dst_changes():
    events = [event(uid, start, tz=tz) for uid, start, tz in TRICKY]
    data = render_calendar(CalendarMeta(name="Times"), events)
    seen = read_feed(data)
    assert set(PARSERS) >= {"icalendar", "ical", "vobject"}
    for uid, start, _tz in TRICKY:
        assert seen[uid].start == start, uid
        assert seen[uid].end == start + timedelta(minutes=45), uid
    text = data.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20270328T013000" in text  # local, with its zone
    assert "DTSTART;TZID=Europe/Amsterdam:20270328T030000" in text  # CEST after the jump
    assert "DTSTART:20271031T003000Z" in text  # 02:30 happens twice: written in UTC
    assert "DTSTART:20271031T013000Z" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20271031T030000" in text
    assert text.count("BEGIN:VTIMEZONE") == 6  # one per zone used, none for UTC
    assert "TZID:UTC" not in text


def test_a_vtimezone_follows_rfc_5545_and_covers_the_local_years_of_its_events():
    events = [event("x", at(2027, 3, 28, 1, 15)), event("y", at(2027, 12, 31, 23, 30))]
    data = render_calendar(CalendarMeta(), events)
    zone = data.decode().split("BEGIN:VTIMEZONE")[1].split("END:VTIMEZONE")[0]
    # Onsets are local times before the change: summer time starts at 02:00 (+01:00).
    assert (
        "DTSTART:20270328T020000\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200" in zone
    )
    assert "DTSTART:20271031T030000\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100" in zone
    assert "DTSTART:20280326T020000" in zone  # "y" is on 1 January 2028, local time
    assert "RRULE" not in zone


def test_text_is_escaped_folded_and_cleaned():
    nasty = (
        "Héart fåilure, part 1; “why” \\ now\nNew line\r\nCRLF\rCR\x00\x07\x1b[31m\x7f\x85"
        "🫀🩺 心不全 " * 5
    )
    events = [
        event("a", at(2027, 3, 26, 9), summary=nasty, description=nasty, location="Hall A, 1;2"),
        event("b", at(2027, 3, 26, 10), summary="x" * 300, categories=("Cardio, heart", "Talk")),
    ]
    data = render_calendar(CalendarMeta(name="Names; with, commas"), events)
    seen = read_feed(data)
    clean = "Héart fåilure, part 1; “why” \\ now\nNew line\nCRLF\nCR[31m🫀🩺 心不全 " * 5
    assert seen["a"].summary == clean
    assert seen["b"].summary == "x" * 300
    parsed = icalendar.Calendar.from_ical(data)
    vevent = next(iter(parsed.walk("VEVENT")))
    assert str(vevent["description"]) == clean
    assert str(vevent["location"]) == "Hall A, 1;2"
    assert str(parsed["name"]) == "Names; with, commas"
    assert b"X-WR-CALNAME:Names\\; with\\, commas" in data  # TEXT, like any X- property
    assert b"Hall A\\, 1\\;2" in data and b"\\\\ now" in data


def test_calendar_level_properties():
    data = render_calendar(
        CalendarMeta("My agenda", "What I go to", timedelta(minutes=30)),
        [event("a", at(2027, 3, 26, 9))],
    )
    text = data.decode()
    for line in (
        "VERSION:2.0",
        "PRODID:-//confnet//calendar feeds 1.0//EN",
        "METHOD:PUBLISH",
        "NAME:My agenda",
        "X-WR-CALNAME:My agenda",
        "REFRESH-INTERVAL;VALUE=DURATION:PT30M",
        "X-PUBLISHED-TTL:PT30M",
    ):
        assert f"\r\n{line}\r\n" in text, line
    vevent = text.split("BEGIN:VEVENT")[1]
    for prop in ("UID:", "DTSTAMP:", "CREATED:", "LAST-MODIFIED:", "SEQUENCE:0", "STATUS:"):
        assert f"\r\n{prop}" in vevent, prop


def test_the_same_events_always_give_the_same_bytes():
    events = [event(uid, start, tz=tz) for uid, start, tz in TRICKY]
    assert render_calendar(CalendarMeta(), events) == render_calendar(CalendarMeta(), events)


def test_alarms_and_statuses():
    events = [
        event("on", at(2027, 3, 26, 9), alarm_minutes=15),
        event("off", at(2027, 3, 26, 10), status="CANCELLED", alarm_minutes=15),
        event("maybe", at(2027, 3, 26, 11), status="TENTATIVE", transparent=True),
    ]
    data = render_calendar(CalendarMeta(), events)
    seen = read_feed(data)
    assert [seen[u].status for u in ("on", "off", "maybe")] == [
        "CONFIRMED",
        "CANCELLED",
        "TENTATIVE",
    ]
    alarms = icalendar.Calendar.from_ical(data).walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == timedelta(minutes=-15)
    transp = {
        str(e["uid"]): str(e["transp"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }
    assert transp == {"on": "OPAQUE", "off": "OPAQUE", "maybe": "TRANSPARENT"}


@pytest.mark.skipif(
    not icaljs_available() and not os.environ.get("CI"),  # CI must run it: `make test` installs it
    reason=f"Mozilla's ical.js is not installed (npm install --prefix {ICALJS.parent.parent} "
    "ical.js, or set CONFNET_ICALJS)",
)
def test_mozilla_icaljs_reads_the_same_times():
    events = [event(uid, start, tz=tz) for uid, start, tz in TRICKY]
    data = render_calendar(CalendarMeta(), events)
    assert with_icaljs(data) == with_icalendar(data)


def test_an_empty_calendar_is_still_readable():
    data = render_calendar(CalendarMeta(name="Nothing yet"), [])
    assert read_feed(data) == {}
