"""Showing UTC times in a conference's IANA timezone, DST included."""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


@lru_cache(maxsize=1)
def timezone_choices() -> list[str]:
    """Region/City IANA names, sorted, for pickers (no Etc/ or legacy aliases)."""
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right/")
    return sorted(
        name for name in available_timezones() if "/" in name and not name.startswith(legacy)
    )


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


def to_local(moment: datetime, tz: str | ZoneInfo) -> datetime:
    """An aware datetime converted to ``tz`` (a name or a ZoneInfo)."""
    return moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)


def format_time(moment: datetime, tz: str | ZoneInfo) -> str:
    """``14:30`` in the given timezone."""
    return to_local(moment, tz).strftime("%H:%M")


def format_day(day: date) -> str:
    """``Fri 26 Mar``"""
    return f"{day:%a} {day.day} {day:%b}"


def format_date_range(start: date, end: date) -> str:
    """``26–28 March 2027``, ``30 March – 2 April 2027`` or ``30 Dec 2027 – 1 Jan 2028``."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day}–{end.day} {end:%B %Y}"


def tz_abbreviation(moment: datetime, tz: str | ZoneInfo) -> str:
    """``CET``/``CEST``: the abbreviation in force at that moment."""
    return to_local(moment, tz).tzname() or ""


def format_slot(start: datetime, end: datetime, tz: str | ZoneInfo) -> str:
    """``Fri 26 Mar 10:00–10:45`` in ``tz``."""
    local = to_local(start, tz)
    return f"{format_day(local.date())} {format_time(start, tz)}–{format_time(end, tz)}"
