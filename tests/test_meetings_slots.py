"""Meeting times as pure functions: local wall times across DST, a day's hours, free times and
the spread of proposals. No database is touched."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from confnet.meetings.slots import (
    GRID,
    LENGTHS,
    MARGIN,
    Interval,
    TimeRefused,
    day_window,
    free_starts,
    local_moment,
    propose_starts,
)

AMS = ZoneInfo("Europe/Amsterdam")
FRI, SAT, SUN = date(2027, 3, 26), date(2027, 3, 27), date(2027, 3, 28)
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMS).astimezone(UTC)


def windows(*days: date):
    return [day_window(day, AMS) for day in days]


def test_local_times_follow_the_switch_to_summer_time():
    assert local_moment(SAT, time(10), AMS) == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # CET
    assert local_moment(SUN, time(10), AMS) == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # CEST
    assert local_moment(SUN, time(1, 59), AMS) == datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert local_moment(SUN, time(3, 0), AMS) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("clock", [time(2, 0), time(2, 30), time(2, 59)])
def test_a_local_time_in_the_skipped_hour_is_refused(clock):
    with pytest.raises(TimeRefused) as refused:
        local_moment(SUN, clock, AMS)
    assert refused.value.message == (
        f"{clock:%H:%M} doesn't exist on Sunday 28 March: the clocks go forward then. "
        "Choose another time."
    )


def test_a_local_time_that_happens_twice_is_taken_the_first_time():
    autumn = date(2027, 10, 31)  # 03:00 CEST becomes 02:00 CET
    assert local_moment(autumn, time(2, 30), AMS) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_a_day_without_sessions_runs_from_9_to_18_local_time_even_on_the_dst_day():
    saturday, sunday = windows(SAT, SUN)
    assert (saturday.opens_at, saturday.closes_at) == (at(SAT, 9), at(SAT, 18))
    assert saturday.opens_at == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert sunday.opens_at == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert sunday.closes_at == datetime(2027, 3, 28, 16, 0, tzinfo=UTC)


def test_a_day_with_sessions_runs_from_the_first_start_to_the_last_end():
    window = day_window(FRI, AMS, at(FRI, 8, 10), at(FRI, 19, 30))
    assert (window.opens_at, window.closes_at) == (at(FRI, 8, 10), at(FRI, 19, 30))
    assert window.holds(at(FRI, 8, 10), at(FRI, 8, 40))
    assert not window.holds(at(FRI, 19, 15), at(FRI, 19, 45))


def test_free_starts_lie_on_the_grid_within_the_hours_and_avoid_busy_time():
    window = day_window(FRI, AMS, at(FRI, 8, 10), at(FRI, 12, 0))
    busy = [Interval(at(FRI, 9, 0), at(FRI, 10, 0)), Interval(at(FRI, 11, 0), at(FRI, 11, 20))]
    starts = free_starts([window], busy, 30, NOW)
    local = [f"{s.astimezone(AMS):%H:%M}" for s in starts]
    # 08:15 is the first quarter hour after 08:10; 08:30 ends as the busy hour starts (fine);
    # 10:30 ends at 11:00 (fine); 11:30 is the last start that ends by 12:00.
    assert local == ["08:15", "08:30", "10:00", "10:15", "10:30", "11:30"]


def test_free_starts_begin_after_not_before():
    starts = free_starts(windows(FRI), [], 60, at(FRI, 16, 1))
    assert [f"{s.astimezone(AMS):%H:%M}" for s in starts] == ["16:15", "16:30", "16:45", "17:00"]


@pytest.mark.parametrize("minutes", LENGTHS)
def test_proposals_are_free_for_both_on_the_grid_and_spread_out(minutes):
    days = windows(FRI, SAT, SUN)
    busy = [
        Interval(at(FRI, 9), at(FRI, 12)),  # one person's morning
        Interval(at(SAT, 13), at(SAT, 18)),  # the other's afternoon
        Interval(at(SUN, 9, 30), at(SUN, 10, 15)),
    ]
    now = at(FRI, 7)
    starts = propose_starts(days, busy, minutes, now, AMS)
    assert len(starts) == 6
    assert starts == sorted(starts)
    length = timedelta(minutes=minutes)
    for start in starts:
        assert start >= now + MARGIN
        assert start.minute % 15 == 0 and start.second == 0
        assert any(w.holds(start, start + length) for w in days)
        assert not any(b.overlaps(start, start + length) for b in busy)
    local = [s.astimezone(AMS) for s in starts]
    assert {s.date() for s in local} == {FRI, SAT, SUN}
    half_days = {(s.date(), s.hour >= 12) for s in local}
    assert len(half_days) >= 4  # Friday morning and Saturday afternoon are taken
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= timedelta(hours=1)


def test_proposals_skip_the_past_and_come_closer_together_when_time_runs_short():
    now = at(SUN, 15)  # the last afternoon: 15:15 to 18:00 is left
    starts = propose_starts(windows(FRI, SAT, SUN), [], 30, now, AMS)
    local = [f"{s.astimezone(AMS):%H:%M}" for s in starts]
    assert local == ["15:15", "15:30", "15:45", "16:15", "16:45", "17:15"]


def test_no_proposals_when_nothing_is_free():
    days = windows(FRI)
    busy = [Interval(at(FRI, 8), at(FRI, 19))]
    assert propose_starts(days, busy, 15, NOW, AMS) == []
    assert propose_starts(days, [], 30, at(FRI, 18), AMS) == []  # the conference is over


def test_a_grid_step_is_a_quarter_hour_in_any_zone_that_has_one():
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    window = day_window(FRI, kathmandu)
    starts = free_starts([window], [], 15, NOW)
    assert starts[0].astimezone(kathmandu).time() == time(9, 0)
    assert all(b - a == GRID for a, b in zip(starts, starts[1:], strict=False))
    assert {s.astimezone(kathmandu).minute for s in starts} == {0, 15, 30, 45}
