"""Shared by the meetings page tests: a conference a week ahead, two connected members, the
booking page's path and form, and the text of a page as a person reads it.

The fixtures (the frozen clock, the conference) are in tests/meetings/conftest.py."""

import re
from datetime import UTC, date, datetime, time
from html import unescape
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
FRI, SAT, SUN = date(2027, 3, 26), date(2027, 3, 27), date(2027, 3, 28)
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
LIST = "/c/medconf/meetings"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMS).astimezone(UTC)


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def member(make, conference, name: str):
    user = make.user(name=name)
    make.member(user, conference)
    return user


def book_path(intro) -> str:
    return f"{LIST}/book/{intro.id}"


def form(**fields) -> dict:
    base = {"day": "2027-03-27", "clock": "10:00", "minutes": "30", "point": "other"}
    return {**base, "place": "Coffee bar", "note": "", **fields}
