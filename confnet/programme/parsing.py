"""Reading what organizers type: local times, speaker lines, tags, links and colours.

These are pure functions (no database): each returns clean values or raises ``FieldError``
naming the form field and saying, in words an organizer understands, what to change.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from confnet.errors import DomainError
from confnet.timefmt import format_day

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
SPEAKER_RE = re.compile(r"^(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]*)>)?$")
NAME_MAX, EMAIL_MAX, TAG_MAX, TAGS_MAX = 120, 254, 60, 500
LABEL_MAX, URL_MAX, LINKS_MAX, SPEAKERS_MAX = 120, 500, 20, 30


class FieldError(DomainError):
    """Input that one form field must correct; ``field`` is the form field's name."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class InvalidInput(DomainError):
    """Several fields were wrong at once: ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def local_moment(day: date, clock: time, tz: ZoneInfo, field: str = "starts") -> datetime:
    """The aware UTC moment of wall-clock ``clock`` on ``day`` in ``tz``.

    A time skipped when the clocks go forward raises ``FieldError``; a time that happens twice
    when they go back means its first occurrence (``fold=0``).
    """
    local = datetime.combine(day, clock.replace(second=0, microsecond=0), tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise FieldError(
            field,
            f"There is no {clock:%H:%M} on {format_day(day)} {day.year} in {tz.key}: the clocks "
            "go forward an hour that night. Choose another time.",
        )
    return moment


def parse_tags(text: str) -> str:
    """``"Imaging, heart  failure,imaging"`` -> ``"imaging,heart failure"``."""
    tags: list[str] = []
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise FieldError("tags", f"The tag “{tag[:30]}…” is too long (at most {TAG_MAX}).")
        tags.append(tag)
    joined = ",".join(tags)
    if len(joined) > TAGS_MAX:
        raise FieldError("tags", f"Too many tags: at most {TAGS_MAX} characters in all.")
    return joined


@dataclass(frozen=True)
class LinkLine:
    label: str
    url: str


def _check_url(url: str) -> bool:
    if len(url) > URL_MAX or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_links(text: str) -> list[LinkLine]:
    """One link per line, ``Label | https://address``; blank lines are skipped."""
    links = []
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        label, bar, url = (part.strip() for part in line.partition("|"))
        where = f"Line {number}"
        if not bar or not label or not url:
            raise FieldError("links", f"{where}: write “Label | https://address”.")
        if len(label) > LABEL_MAX:
            raise FieldError("links", f"{where}: the label is too long (at most {LABEL_MAX}).")
        if not _check_url(url):
            raise FieldError(
                "links", f"{where}: “{url[:60]}” is not a web address (http:// or https://)."
            )
        links.append(LinkLine(label, url))
    if len(links) > LINKS_MAX:
        raise FieldError("links", f"At most {LINKS_MAX} links per session.")
    return links


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    email: str | None


def parse_speakers(text: str) -> list[SpeakerLine]:
    """One person per line, ``Name`` or ``Name <email>``; repeated names count once."""
    speakers: list[SpeakerLine] = []
    seen: set[str] = set()
    for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not line:
            continue
        match = SPEAKER_RE.match(line)
        name = " ".join(match.group("name").split()) if match else ""
        email = match.group("email").strip().lower() if match and match.group("email") else None
        where = f"Line {number}"
        if not match or not name:
            raise FieldError("speakers", f"{where}: write “Name” or “Name <email>”.")
        if len(name) > NAME_MAX:
            raise FieldError("speakers", f"{where}: the name is too long (at most {NAME_MAX}).")
        if email is not None and (len(email) > EMAIL_MAX or not EMAIL_RE.match(email)):
            raise FieldError("speakers", f"{where}: “{email[:60]}” is not an email address.")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            speakers.append(SpeakerLine(name, email))
    if len(speakers) > SPEAKERS_MAX:
        raise FieldError("speakers", f"At most {SPEAKERS_MAX} speakers per session.")
    return speakers


def parse_colour(text: str) -> str:
    """``#RRGGBB`` -> ``#rrggbb``; anything else raises ``FieldError``."""
    colour = (text or "").strip()
    if not COLOUR_RE.match(colour):
        raise FieldError("colour", "Pick a colour, written as # and six hex digits (#1d4ed8).")
    return colour.lower()


def clean_name(text: str | None, field: str = "name", limit: int = NAME_MAX) -> str:
    """A trimmed, single-spaced name that is present and not too long."""
    name = " ".join((text or "").split())
    if not name:
        raise FieldError(field, "This is required.")
    if len(name) > limit:
        raise FieldError(field, f"At most {limit} characters.")
    return name
