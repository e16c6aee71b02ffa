"""Markdown archives (zip) of notes: an attendee's own, or every shared note for organizers.

An attendee's archive holds their private notes and the shared notes of their sessions (starred,
checked in, written on, or contributed to). The organizers' archive holds shared notes only:
private notes never leave their author's account.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemLink,
    NoteRevision,
    PrivateNote,
    PublishedItem,
    SharedNote,
    User,
)
from confnet.notes.knowledge import attended_ids, links_by_item
from confnet.schedule.listing import published
from confnet.timefmt import format_day, format_slot, to_local

_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass
class _Session:
    item: PublishedItem
    shared: str = ""
    shared_number: int = 0
    private: str = ""
    links: list[ItemLink] | None = None


def _slug(text: str, limit: int = 50) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-") or "session"


def _file_name(item: PublishedItem, tz) -> str:
    start = to_local(item.starts_at, tz)
    return f"sessions/{start:%Y-%m-%d-%H%M}-{_slug(item.title)}-{item.item_id}.md"


def _session_markdown(entry: _Session, conference: Conference, link: Callable) -> str:
    item, tz = entry.item, conference.tz
    lines = [f"# {item.title}", ""]
    when = f"{format_day(to_local(item.starts_at, tz).date())}, "
    when += format_slot(item.starts_at, item.ends_at, tz)
    lines.append(f"{when}{' · ' + item.room.name if item.room else ''}  ")
    if item.speaker_names:
        lines.append(f"Speakers: {item.speaker_names}  ")
    if item.cancelled:
        lines.append("This session was cancelled.  ")
    lines += [f"Session page: {link(item)}", ""]
    if entry.links:
        lines += ["## Links", ""] + [f"- [{lk.label}]({lk.url})" for lk in entry.links] + [""]
    if entry.private:
        lines += ["## My private note", "", entry.private.rstrip(), ""]
    if entry.shared.strip():
        lines += [f"## Shared notes (revision {entry.shared_number})", ""]
        lines += [entry.shared.rstrip(), ""]
    return "\n".join(lines)


def _shared_texts(conference: Conference) -> dict[int, tuple[int, str]]:
    rows = db.session.execute(
        select(SharedNote.item_id, SharedNote.revision_count, NoteRevision.body)
        .join(
            NoteRevision,
            (NoteRevision.note_id == SharedNote.id)
            & (NoteRevision.number == SharedNote.revision_count),
        )
        .where(SharedNote.conference_id == conference.id)
    )
    return {item_id: (number, body) for item_id, number, body in rows if body.strip()}


def _items(conference: Conference, ids) -> list[PublishedItem]:
    return list(db.session.scalars(published(conference).where(PublishedItem.item_id.in_(ids))))


def _zip(files: dict[str, str], now: datetime, tz) -> bytes:
    stamp = to_local(now, tz).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


def _archive(
    conference: Conference, sessions: list[_Session], title: str, extra: dict, link, now
) -> bytes:
    tz = conference.tz
    files = dict(extra)
    exported = format_day(to_local(now, tz).date())
    index = [f"# {title}", "", f"{conference.name}, exported {exported}.", ""]
    for entry in sessions:
        name = _file_name(entry.item, tz)
        files[name] = _session_markdown(entry, conference, link)
        index.append(f"- [{entry.item.title}]({name})")
    if not sessions:
        index.append("No session notes yet.")
    return _zip({"README.md": "\n".join(index) + "\n", **files}, now, tz)


def my_notes_archive(user: User, conference: Conference, *, link: Callable, now: datetime) -> bytes:
    """``user``'s private notes and the shared notes of their sessions, as a zip of Markdown.
    ``link(item)`` gives a session page's address."""
    mine = db.session.execute(
        select(PrivateNote.item_id, PrivateNote.body).where(
            PrivateNote.user_id == user.id, PrivateNote.conference_id == conference.id
        )
    ).all()
    private = {item_id: body for item_id, body in mine if body.strip()}
    contributed = (
        select(SharedNote.item_id)
        .join(NoteRevision)
        .where(NoteRevision.author_id == user.id, NoteRevision.hidden_at.is_(None))
    )
    shared = _shared_texts(conference)
    ids = attended_ids(user, conference) | set(db.session.scalars(contributed))
    ids = {i for i in ids if i in shared} | {i for i in private if i is not None}
    links = links_by_item(ids)
    sessions = []
    for item in _items(conference, ids):
        number, body = shared.get(item.item_id, (0, ""))
        sessions.append(
            _Session(item, body, number, private.get(item.item_id, ""), links.get(item.item_id))
        )
    extra = {}
    if private.get(None):
        extra["conference-note.md"] = f"# My notes on {conference.name}\n\n{private[None]}\n"
    return _archive(conference, sessions, "My notes", extra, link, now)


def shared_notes_archive(conference: Conference, *, link: Callable, now: datetime) -> bytes:
    """Every non-empty shared note of ``conference`` (current text), one file per session."""
    shared = _shared_texts(conference)
    links = links_by_item(list(shared))
    sessions = [
        _Session(
            item, shared[item.item_id][1], shared[item.item_id][0], "", links.get(item.item_id)
        )
        for item in _items(conference, list(shared))
    ]
    return _archive(conference, sessions, "Shared notes", {}, link, now)
