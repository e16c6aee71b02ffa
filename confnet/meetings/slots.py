"""Meeting times as pure functions of plain values (no database, no clock): local wall times,
the conference's hours per day, and free times to propose.

Times are aware datetimes in UTC; ``tz`` is the conference's zone. Local wall times are built
with ``datetime.combine(day, clock, tz)`` and converted, never by adding hours to UTC, so a day
on which the clocks change has the right hours (23 or 25 of them). Proposals start on a
15-minute grid; stepping in UTC keeps to the local grid because every zone's offset is a whole
number of quarter hours.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from confnet.errors import DomainError

LENGTHS = (15, 20, 30, 45, 60)  # minutes a meeting may last
GRID = timedelta(minutes=15)
MARGIN = timedelta(minutes=15)  # a proposed time starts at least this long from now
OPENS, CLOSES = time(9), time(18)  # a day's hours when it has no published sessions
PROPOSALS = 6
SPACING = timedelta(hours=1)  # between two proposals (halved, then a quarter, when time is short)
NOON = time(12)


class TimeRefused(DomainError):
    """A local time that can't be used (it doesn't exist, or lies outside the hours)."""


@dataclass(frozen=True)
class Window:
    """The conference's hours on one of its local days (``opens_at``/``closes_at`` in UTC)."""

    day: date
    opens_at: datetime
    closes_at: datetime

    def holds(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.opens_at <= starts_at and ends_at <= self.closes_at


@dataclass(frozen=True)
class Interval:
    """A busy stretch of time."""

    starts_at: datetime
    ends_at: datetime

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Touching end-to-start is no overlap."""
        return self.starts_at < ends_at and starts_at < self.ends_at


def spoken_day(day: date) -> str:
    """``Sunday 28 March``"""
    return f"{day:%A} {day.day} {day:%B}"


def local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of local ``clock`` on ``day``. Raises TimeRefused when that wall time
    doesn't exist (the hour skipped when the clocks go forward); a time that happens twice
    (clocks going back) is taken the first time."""
    local = datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None), tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeRefused(
            f"{clock:%H:%M} doesn't exist on {spoken_day(day)}: the clocks go forward then. "
            "Choose another time."
        )
    return moment


def day_window(
    day: date, tz: ZoneInfo, first: datetime | None = None, last: datetime | None = None
) -> Window:
    """The hours of ``day``: from the first session's start to the last one's end (``first``
    and ``last``, already limited to that day), else 09:00 to 18:00 local time."""
    if first is None or last is None or last <= first:
        return Window(day, local_moment(day, OPENS, tz), local_moment(day, CLOSES, tz))
    return Window(day, first, last)


def clashes(busy: Iterable[Interval], starts_at: datetime, ends_at: datetime) -> list[Interval]:
    """The busy intervals overlapping ``starts_at``–``ends_at``, in time order."""
    found = [b for b in busy if b.overlaps(starts_at, ends_at)]
    return sorted(found, key=lambda b: (b.starts_at, b.ends_at))


def _on_grid(moment: datetime) -> datetime:
    """``moment`` rounded up to the next quarter hour (itself if it is on one)."""
    floor = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return floor if floor == moment else floor + GRID


def free_starts(
    windows: list[Window], busy: list[Interval], minutes: int, not_before: datetime
) -> list[datetime]:
    """Every start on the grid, from ``not_before`` on, where a meeting of ``minutes`` fits
    within a day's hours and overlaps nothing busy; in time order."""
    length = timedelta(minutes=minutes)
    busy = sorted(busy, key=lambda b: b.starts_at)
    starts = []
    for window in windows:
        start = _on_grid(max(window.opens_at, not_before))
        while start + length <= window.closes_at:
            if not any(b.overlaps(start, start + length) for b in busy):
                starts.append(start)
            start += GRID
    return starts


def _buckets(starts: list[datetime], tz: ZoneInfo) -> list[list[datetime]]:
    """``starts`` by local half-day, visited alternately: the first day's morning, the
    second day's afternoon, the third day's morning... then the halves left over."""
    halves: dict[tuple[date, bool], list[datetime]] = {}
    for start in starts:
        local = start.astimezone(tz)
        halves.setdefault((local.date(), local.time() >= NOON), []).append(start)
    days = sorted({day for day, _ in halves})

    def turn(key: tuple[date, bool]) -> tuple[bool, int]:
        index = days.index(key[0])
        return (key[1] != bool(index % 2), index)

    return [halves[key] for key in sorted(halves, key=turn)]


def propose_starts(
    windows: list[Window],
    busy: list[Interval],
    minutes: int,
    now: datetime,
    tz: ZoneInfo,
    count: int = PROPOSALS,
) -> list[datetime]:
    """About ``count`` free starts for both people (``busy`` holds both agendas), spread
    across days and half-days rather than consecutive quarter hours; in time order."""
    starts = free_starts(windows, busy, minutes, now + MARGIN)
    buckets = _buckets(starts, tz)
    chosen: list[datetime] = []
    for spacing in (SPACING, SPACING / 2, GRID):
        added = True
        while added and len(chosen) < count:
            added = False
            for bucket in buckets:
                pick = next((s for s in bucket if _apart(s, chosen, spacing)), None)
                if pick is not None and len(chosen) < count:
                    chosen.append(pick)
                    added = True
    return sorted(chosen)


def _apart(start: datetime, chosen: list[datetime], spacing: timedelta) -> bool:
    return all(abs(start - other) >= spacing for other in chosen)
