"""The conference's days and the timezone times are shown in, as attendees pick them.

Days are the conference's local calendar days (``conference.tz``): a day runs from local
midnight to the next, which is 23 or 25 hours long when the clocks change.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from confnet.models import Conference
from confnet.timefmt import timezone_choices, to_local


def conference_days(conference: Conference) -> list[date]:
    span = (conference.ends_on - conference.starts_on).days
    return [conference.starts_on + timedelta(days=i) for i in range(span + 1)]


def local_today(conference: Conference, now: datetime) -> date:
    return to_local(now, conference.tz).date()


def is_running(conference: Conference, now: datetime) -> bool:
    return conference.starts_on <= local_today(conference, now) <= conference.ends_on


def choose_day(conference: Conference, requested: str | None, now: datetime) -> date:
    """The day to show: ``requested`` (YYYY-MM-DD) if it is one of the conference's days, else
    today while the conference runs, else its first day. Never raises."""
    if requested:
        try:
            day = date.fromisoformat(requested[:10]) if len(requested) == 10 else None
        except ValueError:
            day = None
        inside = day is not None and conference.starts_on <= day <= conference.ends_on
        return day if inside else conference.starts_on
    if is_running(conference, now):
        return local_today(conference, now)
    return conference.starts_on


def day_bounds(conference: Conference, day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight, in UTC (23 or 25 hours on DST days)."""
    tz = conference.tz
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return start, end


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(timezone_choices()) | {"UTC"}


def display_timezone(conference: Conference, requested: str | None) -> tuple[ZoneInfo, bool]:
    """The timezone to show times in, and whether ``requested`` was unknown (and ignored)."""
    if not requested or requested == conference.timezone:
        return conference.tz, False
    if requested in known_timezones():
        return ZoneInfo(requested), False
    return conference.tz, True


def tz_arg(conference: Conference, tz: ZoneInfo) -> str | None:
    """The ``tz`` query argument that keeps the viewer's timezone in links (None: default)."""
    return None if tz.key == conference.timezone else tz.key
