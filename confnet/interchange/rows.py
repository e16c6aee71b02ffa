"""What every import format turns its file into, and the checks they share.

Each parser reads the whole file into ``ImportRow`` objects and collects a ``Problem`` for every
bad value instead of stopping at the first; ``ImportFailed`` carries them all. Nothing here
touches the database, so a file with any problem never changes anything.

Times: a local wall-clock time is read in the conference's IANA timezone. A time skipped by a
DST change (02:30 on 28 March 2027 in Europe/Amsterdam) is refused; a time that happens twice
(when the clocks go back) means its first occurrence unless the value carries a UTC offset.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from confnet.errors import DomainError
from confnet.models import ItemKind

# Column lengths of the models (confnet/models/programme.py).
MAX_TITLE = 200
MAX_NAME = 120  # rooms, tracks, speakers, link labels
MAX_TAGS = 500
MAX_URL = 500
MAX_ROWS = 5000
MAX_DURATION = timedelta(hours=99, minutes=59)  # the longest "HH:MM" frab readers accept

# Items without a room are exported in a pseudo-room (frab puts every event in a room): the
# first of these names that no real room uses. Importing maps them back to "no room" unless the
# file marks a real room of that name (listed in the JSON's rooms, a guid on the XML's room).
NO_ROOM_NAMES = ("General", "No room", "Without a room")
CANCELLED_PREFIX = "Cancelled: "

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HHMM = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Problem:
    where: str  # "Line 4", "Day 2, room “Hall A”, event 3", "The file"
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportFailed(DomainError):
    """The file was refused; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        count = len(self.problems)
        super().__init__(
            f"Nothing was imported: the file has {count} problem{'s' if count != 1 else ''}. "
            + " ".join(str(p) for p in self.problems[:3])
            + (" …" if count > 3 else "")
        )


def file_problem(message: str) -> ImportFailed:
    return ImportFailed([Problem("The file", message)])


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""


@dataclass
class ImportRow:
    """One session from a file. ``fields`` holds only what the file states; anything it leaves
    out stays as it is on an existing session (and takes the default on a new one). Keys:
    room, track (a name or None), abstract, tags, capacity, signup_required, cancelled,
    speakers (list of Person), links (list of (label, url)), track_colour."""

    where: str
    line: int | None
    guid: uuid.UUID | None
    title: str
    kind: ItemKind
    starts_at: datetime | None  # None only in a row with problems (valid is False)
    ends_at: datetime | None
    fields: dict = field(default_factory=dict)
    valid: bool = True


class RowChecker:
    """Collects the problems of one row (or of the whole file) with their location."""

    def __init__(self, problems: list[Problem], where: str, line: int | None = None):
        self.problems, self.where, self.line = problems, where, line
        self.failed = False

    def fail(self, message: str, line: int | None = None) -> None:
        self.failed = True
        self.problems.append(Problem(self.where, message, line or self.line))

    def text(self, value, label: str, *, max_length: int | None = None, required=False) -> str:
        """A stripped string; complains about a missing, overlong or binary value."""
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{label} must be text.")
            return ""
        value = value.strip()
        if CONTROL.search(value):
            self.fail(f"{label} contains control characters.")
            return ""
        if required and not value:
            self.fail(f"{label} is missing.")
        elif max_length is not None and len(value) > max_length:
            self.fail(f"{label} is {len(value)} characters long; the most is {max_length}.")
        return value

    def guid(self, value) -> uuid.UUID | None:
        value = self.text(value, "The guid")
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.fail(f"“{value}” is not a guid (e.g. 0f8e5b9c-1d2a-4c3b-9e8f-7a6b5c4d3e2f).")
            return None

    def duration(self, value, label: str = "The duration") -> timedelta | None:
        """``HH:MM``, ``HH:MM:SS`` or (for spreadsheets) a number of minutes."""
        value = self.text(value, label)
        match = HHMM.match(value)
        if match:
            hours, minutes, seconds = match.groups()
            length = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
        elif value.isdigit():
            length = timedelta(minutes=int(value))
        else:
            self.fail(f"{label} “{value}” is not HH:MM (e.g. 00:45) or a number of minutes.")
            return None
        return length

    def local_time(self, day: date, value, tz: ZoneInfo, label: str) -> datetime | None:
        """The UTC moment of wall-clock ``HH:MM`` on ``day`` in ``tz``."""
        value = self.text(value, label)
        match = HHMM.match(value)
        if not match or int(match.group(1)) > 23:
            self.fail(f"{label} “{value}” is not a time of day like 09:30.")
            return None
        hours, minutes, _ = match.groups()
        return self.localise(datetime.combine(day, time(int(hours), int(minutes))), tz, label)

    def moment(self, value, tz: ZoneInfo, label: str) -> datetime | None:
        """``YYYY-MM-DD HH:MM`` (or ISO 8601 with ``T``, seconds and an offset) as UTC."""
        value = self.text(value, label)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{label} “{value}” is not a date and time like 2027-03-26 09:30.")
            return None
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        return self.localise(parsed, tz, label)

    def localise(self, naive: datetime, tz: ZoneInfo, label: str) -> datetime | None:
        aware = naive.replace(tzinfo=tz)
        moment = aware.astimezone(UTC)
        if moment.astimezone(tz).replace(tzinfo=None) != naive:
            self.fail(
                f"{label} {naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks "
                "skip that hour for summer time."
            )
            return None
        return moment

    def span(self, start: datetime | None, end: datetime | None) -> bool:
        """Is ``start``–``end`` a real, not absurdly long, time span?"""
        if start is None or end is None:
            return False
        if end <= start:
            self.fail("It ends before (or when) it starts.")
            return False
        if end - start > MAX_DURATION:
            self.fail("It lasts longer than 99 hours.")
            return False
        return True

    def colour(self, value) -> str | None:
        value = self.text(value, "The track colour")
        return value.lower() if COLOUR.match(value) else None


def check_duplicates(rows: list[ImportRow], problems: list[Problem]) -> None:
    """Every guid may appear once in a file."""
    seen: dict[uuid.UUID, ImportRow] = {}
    for row in rows:
        if row.guid is None:
            continue
        if row.guid in seen:
            first = seen[row.guid]
            problems.append(
                Problem(row.where, f"The guid {row.guid} is also used by {first.where}.", row.line)
            )
        else:
            seen[row.guid] = row


def cancelled_title(title: str) -> tuple[str, bool]:
    """Our frab exports mark cancelled sessions in the title; read that back."""
    if title.startswith(CANCELLED_PREFIX) and len(title) > len(CANCELLED_PREFIX):
        return title[len(CANCELLED_PREFIX) :].strip(), True
    return title, False


# frab "type" values are free text ("Talk", "lecture", "Hands-on workshop", "Vortrag"...).
_FRAB_KINDS = (
    (ItemKind.KEYNOTE, ("keynote", "plenary")),
    (ItemKind.WORKSHOP, ("workshop", "hands-on", "hands on", "tutorial", "skills", "lab")),
    (ItemKind.PANEL, ("panel", "discussion", "podium", "debate", "round table", "roundtable")),
    (ItemKind.POSTER, ("poster",)),
    (ItemKind.BREAK, ("break", "pause", "lunch", "coffee", "registration")),
    (ItemKind.SOCIAL, ("social", "party", "reception", "dinner", "drinks", "gathering")),
)


def kind_from_frab(value: str) -> ItemKind:
    """A frab/pretalx type mapped onto our kinds; anything unrecognised is a talk."""
    lowered = value.strip().lower()
    if lowered in {kind.value for kind in ItemKind}:
        return ItemKind(lowered)
    for kind, words in _FRAB_KINDS:
        if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words):
            return kind
    return ItemKind.TALK


def merge_description(abstract: str, description: str) -> str:
    """frab has abstract and description; we keep one text (both when they differ)."""
    if not description:
        return abstract
    if not abstract or description.startswith(abstract):
        return description
    return f"{abstract}\n\n{description}"


def check_url(checker: RowChecker, url, label: str = "A link") -> str | None:
    url = checker.text(url, label, max_length=MAX_URL)
    if url and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        checker.fail(f"{label} “{url}” must start with http:// or https://.")
        return None
    return url or None
