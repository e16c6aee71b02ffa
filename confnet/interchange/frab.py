"""What the frab schedule.json and schedule.xml exports share: names, slugs, guids, times.

Cancelled sessions stay in the exports with their title prefixed "Cancelled: ". frab readers
(Giggity, ConfClerk, EventFahrplan) have no cancelled flag; dropping the event would make it
silently vanish from the agendas of people who starred it, while a changed title shows up on
their next refresh, in reminders and in the session list. The guid and id stay the same, so a
restored session simply loses the prefix again. Importing our own file reads the prefix back.

Identifiers: the acronym is the conference slug with dashes turned into underscores (the
schema's pattern allows no dashes there); event slugs are ``<acronym>-<id>-<title words>``;
rooms and speakers get name-based UUIDs (uuid5 of their URL on this site), stable between
exports. Items without a room are put in a pseudo-room (``rows.NO_ROOM_NAMES``).
"""

import re
import unicodedata
import uuid
from datetime import datetime, timedelta

from confnet.interchange.rows import CANCELLED_PREFIX, MAX_DURATION
from confnet.interchange.snapshot import Entry, ExportLinks

GENERATOR = "confnet"
TIMESLOT = "00:05"
JSON_SCHEMA = "https://c3voc.de/schedule/schema.json"


def slugify(text: str, limit: int = 50) -> str:
    """Lower-case ASCII words joined by dashes: ``"Café & Care"`` -> ``"cafe-care"``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower())[:limit].strip("-")


def acronym(slug: str) -> str:
    """The frab acronym: at least four of ``[a-z0-9_]`` (``medconnect-2027`` -> ``..._2027``)."""
    return slug.replace("-", "_").ljust(4, "_")


def event_slug(conference_slug: str, entry: Entry) -> str:
    """``<acronym>-<id>-<title words>``; the XSD wants at least four characters after the dash."""
    words = slugify(entry.title)
    if len(words) < 3:
        words = f"session-{words}".strip("-")
    return f"{acronym(conference_slug)}-{entry.id}-{words}"


def name_slug(name: str, prefix: str, fallback_id: int) -> str:
    """A slug that starts with a letter and ends with a letter or digit (both schemas)."""
    slug = slugify(name) or str(fallback_id)
    return slug if slug[0].isalpha() and len(slug) > 1 else f"{prefix}-{slug}"


def thing_guid(links: ExportLinks, kind: str, thing_id: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{links.conference_url}#{kind}-{thing_id}")


def title_of(entry: Entry) -> str:
    return f"{CANCELLED_PREFIX}{entry.title}" if entry.cancelled else entry.title


def duration_of(entry: Entry) -> str:
    """``HH:MM`` of real elapsed time (a session across a DST change is an hour shorter)."""
    length = min(entry.ends_at - entry.starts_at, MAX_DURATION)
    minutes = max(length // timedelta(minutes=1), 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_iso(moment: datetime, tz) -> str:
    """``2027-03-28T10:00:00+02:00``: local time with that moment's UTC offset."""
    return moment.astimezone(tz).isoformat()
