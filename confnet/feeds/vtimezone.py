"""VTIMEZONE components computed from the IANA database, the way RFC 5545 defines them.

An observance's DTSTART is the local time of the change *before* it happens (read with
TZOFFSETFROM): in Amsterdam, summer time starts at 02:00 (+01:00), not 03:00. ``icalendar``'s
own ``Timezone.from_tzid`` writes 03:00 there, which RFC-strict readers such as Mozilla's ical.js
(Thunderbird) take as one hour later than the real change, so an event at 03:15 on that day
would be read as 02:15 UTC instead of 01:15 UTC. Hence this module: it finds every change of
offset (or abbreviation) in the years asked for and writes one observance per change, with
DTSTART, TZOFFSETFROM, TZOFFSETTO and TZNAME, and no recurrence rules to misread.
"""

from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_STEP = timedelta(hours=12)  # no zone changes its offset twice within twelve hours


def _state(moment: datetime, tz: ZoneInfo) -> tuple:
    local = moment.astimezone(tz)
    return local.utcoffset(), local.tzname(), bool(local.dst())


def _change_between(early: datetime, late: datetime, tz: ZoneInfo) -> datetime:
    """The first second at which the zone's state differs from its state at ``early``."""
    before = _state(early, tz)
    while late - early > timedelta(seconds=1):
        middle = early + (late - early) / 2
        middle = middle.replace(microsecond=0)
        if _state(middle, tz) == before:
            early = middle
        else:
            late = middle
    return late


def _observance(start: datetime, offset_from: timedelta, tz: ZoneInfo):
    """An observance beginning at ``start`` (UTC), following a period at ``offset_from``."""
    offset_to, name, daylight = _state(start, tz)
    component = TimezoneDaylight() if daylight else TimezoneStandard()
    # The onset as a local time read with the offset in force before it (RFC 5545, 3.6.5).
    component.add("dtstart", start.astimezone(timezone(offset_from)).replace(tzinfo=None))
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", offset_to)
    if name:
        component.add("tzname", name)
    return component


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for ``tzid`` valid through local years ``first_year``..``last_year``.
    Cached, and shared by every calendar that needs it: nothing may change it."""
    tz = ZoneInfo(tzid)
    moment = datetime(first_year - 1, 12, 30, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 2, tzinfo=UTC)
    component = Timezone()
    component.add("tzid", tzid)
    offset = _state(moment, tz)[0]
    component.add_component(_observance(moment, offset, tz))
    while moment < end:
        step = min(moment + _STEP, end)
        if _state(step, tz) != _state(moment, tz):
            change = _change_between(moment, step, tz)
            component.add_component(_observance(change, _state(moment, tz)[0], tz))
        moment = step
    return component
