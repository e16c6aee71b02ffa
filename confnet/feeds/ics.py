"""Writing iCalendar (RFC 5545) that strict parsers and real calendar apps read the same way.

``render_calendar`` turns ``FeedEvent``s into bytes with the ``icalendar`` library, which
folds lines at 75 octets without splitting a UTF-8 character, ends lines with CRLF and escapes
text. On top of that:

- text is cleaned of control characters (RFC 5545 forbids them; only line breaks survive, as
  ``\\n`` escapes) and of lone surrogates (which can't be encoded);
- times are written as local times with the conference's TZID and a VTIMEZONE covering the
  years in the calendar (see ``vtimezone`` for why it is not icalendar's), except in the hour
  that repeats when the clocks go back: those local times are ambiguous, so such a time is
  written in UTC instead;
- the output is deterministic (no "now" anywhere): the same events give the same bytes, which
  a strong ETag needs.

Serialising with icalendar costs about half a millisecond per event, so each process keeps the
bytes of recently written VEVENTs keyed by the ``FeedEvent`` itself (a frozen dataclass holding
everything that is written: equal events give equal bytes, a changed field is a new key). A
calendar is then its head (properties and VTIMEZONEs, also kept) followed by the events' bytes:
rebuilding a 1,000-session calendar after one session moved serialises one event, not 1,000.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration, vText

from confnet.feeds.vtimezone import vtimezone
from confnet.memo import Memo

PRODID = "-//confnet//calendar feeds 1.0//EN"
STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")

EVENT_CACHE_SIZE = 4096  # VEVENTs kept per process, about 1 KB each
HEAD_CACHE_SIZE = 64
_END = b"END:VCALENDAR\r\n"

# C0 and C1 controls except TAB and LF, DEL, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT. Times are aware UTC; ``tz`` is the IANA zone to show them in."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    tz: str
    summary: str
    created: datetime
    last_modified: datetime
    sequence: int = 0
    status: str = "CONFIRMED"
    location: str = ""
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    transparent: bool = False
    alarm_minutes: int | None = None


@dataclass(frozen=True)
class CalendarMeta:
    """Calendar-level properties: its name and how often apps should check for changes."""

    name: str = ""
    description: str = ""
    refresh: timedelta | None = None


def clean_text(text: str) -> str:
    """``text`` without characters iCalendar can't carry: CR LF and CR become LF (written as
    ``\\n``), other control characters and lone surrogates are dropped, and the result is
    NFC-normalised so that the same words always give the same bytes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNSAFE.sub("", text))


def _moment(value: datetime, tz: ZoneInfo) -> datetime:
    """``value`` in ``tz``, or in UTC when that local time happens twice (clocks going back)."""
    local = value.astimezone(tz)
    other = local.replace(fold=1 - local.fold)
    if other.astimezone(UTC) != local.astimezone(UTC):
        return value.astimezone(UTC)
    return local


def _timezones(events: list[FeedEvent]) -> tuple[tuple[str, int, int], ...]:
    """(tzid, first year, last year) of each zone the events are shown in, UTC aside."""
    years: dict[str, list[int]] = {}
    for event in events:
        tz = ZoneInfo(event.tz)
        local = (event.starts_at.astimezone(tz).year, event.ends_at.astimezone(tz).year)
        years.setdefault(event.tz, []).extend(local)
    return tuple(
        (tzid, min(years[tzid]), max(years[tzid])) for tzid in sorted(years) if tzid != "UTC"
    )


def _vevent(event: FeedEvent) -> Event:
    tz = ZoneInfo(event.tz)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.last_modified.astimezone(UTC))
    vevent.add("created", event.created.astimezone(UTC))
    vevent.add("last-modified", event.last_modified.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", _moment(event.starts_at, tz))
    vevent.add("dtend", _moment(event.ends_at, tz))
    vevent.add("summary", clean_text(event.summary))
    if event.location:
        vevent.add("location", clean_text(event.location))
    if event.description:
        vevent.add("description", clean_text(event.description))
    if event.url:
        vevent.add("url", event.url, parameters={"VALUE": "URI"})
    categories = [clean_text(c) for c in event.categories if c.strip()]
    if categories:
        vevent.add("categories", categories)
    vevent.add("status", event.status if event.status in STATUSES else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
    if event.alarm_minutes and event.status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", clean_text(event.summary))
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes))
        vevent.add_component(alarm)
    return vevent


_events = Memo(EVENT_CACHE_SIZE)
_heads = Memo(HEAD_CACHE_SIZE)


def _head(meta: CalendarMeta, zones: tuple[tuple[str, int, int], ...]) -> bytes:
    """The calendar's properties and VTIMEZONEs, without the closing END:VCALENDAR."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if meta.name:
        calendar.add("name", clean_text(meta.name))
        calendar.add("x-wr-calname", vText(clean_text(meta.name)))
    if meta.description:
        calendar.add("description", clean_text(meta.description))
        calendar.add("x-wr-caldesc", vText(clean_text(meta.description)))
    if meta.refresh:
        calendar.add("refresh-interval", meta.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(meta.refresh))
    for zone in zones:
        calendar.add_component(vtimezone(*zone))
    return calendar.to_ical().removesuffix(_END)


def render_calendar(meta: CalendarMeta, events: list[FeedEvent]) -> bytes:
    """A complete VCALENDAR (METHOD:PUBLISH) holding ``events``, in the order given."""
    zones = _timezones(events)
    head = _heads.get((meta, zones), lambda: _head(meta, zones))
    parts = [head]
    parts.extend(_events.get(event, lambda e=event: _vevent(e).to_ical()) for event in events)
    parts.append(_END)
    return b"".join(parts)


def clear_caches() -> None:
    _events.clear()
    _heads.clear()
