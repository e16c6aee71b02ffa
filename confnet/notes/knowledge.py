"""What the notes add to other pages: the box on a session page and the knowledge page.

Both run a fixed, small number of queries however many sessions and notes there are; note texts
are cut in SQL (only the start of each is read) and summarised as plain text.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup
from sqlalchemy import bindparam, func, or_, select, union

from confnet import permissions
from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemKind,
    ItemLink,
    NoteRevision,
    PrivateNote,
    PublishedItem,
    Seat,
    SharedNote,
    Star,
    User,
)
from confnet.notes.rendering import excerpt_source, plain_excerpt, render_markdown
from confnet.notes.services import (
    CurrentNote,
    contributors_of,
    current_note,
    current_note_statement,
)
from confnet.schedule.listing import SEARCH_MAX, published
from confnet.timefmt import to_local

EXCERPT_CHARS = 600  # read from the database per note for the knowledge page


@dataclass(frozen=True)
class SessionPanel:
    """The shared-notes box of a session page, for one viewer."""

    can_read: bool
    can_edit: bool
    can_keep_private: bool
    excerpt: Markup = Markup("")
    more: bool = False
    revisions: int = 0
    updated_at: datetime | None = None
    contributors: list[str] = field(default_factory=list)
    contributor_count: int = 0
    has_private: bool = False


# Read on every session page: built once. The shared note as ``current_note`` reads it, and
# whether the viewer keeps a private note on the session, in one query.
_PANEL = current_note_statement(
    select(func.count())
    .select_from(PrivateNote)
    .where(
        PrivateNote.user_id == bindparam("user_id"),
        PrivateNote.item_id == bindparam("item_id"),
        PrivateNote.body != "",
    )
    .scalar_subquery()
)


def session_panel(conference: Conference, item: PublishedItem, user) -> SessionPanel:
    """The box for ``item``: an excerpt of the shared note, who wrote it, and whether the
    viewer has a private note. At most two queries beyond the (memoised) membership."""
    can_read = permissions.can_read_shared_notes(user, conference)
    can_keep = permissions.can_keep_private_notes(user, conference)
    if not can_read:
        return SessionPanel(False, False, can_keep)
    params = {"user_id": user.id if can_keep else None, "item_id": item.item_id}
    *note, private = db.session.execute(_PANEL, params).one()
    current = CurrentNote(*note)
    source, more = excerpt_source(current.body)
    names, count = contributors_of(item.item_id) if current.revision else ([], 0)
    has_private = can_keep and bool(private)
    return SessionPanel(
        can_read=True,
        can_edit=permissions.can_edit_shared_notes(user, conference) and not item.cancelled,
        can_keep_private=can_keep,
        excerpt=render_markdown(source, heading_shift=2),
        more=more,
        revisions=current.number,
        updated_at=current.revision.created_at if current.revision else None,
        contributors=names,
        contributor_count=count,
        has_private=has_private,
    )


@dataclass(frozen=True)
class NotePage:
    """The shared-note page of a session: the note, who wrote it, and the session's links."""

    current: CurrentNote
    html: Markup
    contributors: list[str]
    contributor_count: int
    links: list[ItemLink]


def note_page(item: PublishedItem) -> NotePage:
    """Everything the shared-note page shows about ``item`` (three queries)."""
    current = current_note(item.item_id)
    names, count = contributors_of(item.item_id, limit=12) if current.revision else ([], 0)
    links = links_by_item([item.item_id]).get(item.item_id, [])
    return NotePage(current, render_markdown(current.body), names, count, links)


@dataclass
class Entry:
    """A session on the knowledge page."""

    item: PublishedItem
    excerpt: str = ""
    revisions: int = 0
    links: list[ItemLink] = field(default_factory=list)
    private: bool = False
    attended: bool = False


@dataclass
class Knowledge:
    attended: list[Entry]
    days: list[tuple[date, list[Entry]]]
    query: str
    total: int
    with_notes: int


def attended_ids(user: User, conference: Conference) -> set[int]:
    """Sessions ``user`` starred or was checked in to (one query)."""
    stars = select(Star.item_id).where(Star.user_id == user.id)
    seats = select(Seat.item_id).where(Seat.user_id == user.id, Seat.checked_in_at.is_not(None))
    ids = union(stars, seats).subquery()
    rows = db.session.scalars(
        select(PublishedItem.item_id).where(
            PublishedItem.conference_id == conference.id, PublishedItem.item_id.in_(select(ids))
        )
    )
    return set(rows)


def _current_texts(conference: Conference, *columns):
    """``columns`` of the conference's shared notes joined to their current revisions."""
    return (
        select(*columns)
        .select_from(SharedNote)
        .join(
            NoteRevision,
            (NoteRevision.note_id == SharedNote.id)
            & (NoteRevision.number == SharedNote.revision_count),
        )
        .where(SharedNote.conference_id == conference.id)
    )


def _search(query, conference: Conference, user: User | None, words: str):
    in_notes = _current_texts(conference, SharedNote.item_id).where(
        NoteRevision.body.icontains(words, autoescape=True)
    )
    matches = [
        PublishedItem.title.icontains(words, autoescape=True),
        PublishedItem.abstract.icontains(words, autoescape=True),
        PublishedItem.speaker_names.icontains(words, autoescape=True),
        PublishedItem.item_id.in_(in_notes),
    ]
    if user is not None:  # the viewer's own private notes, never anyone else's
        mine = select(PrivateNote.item_id).where(
            PrivateNote.user_id == user.id,
            PrivateNote.item_id.is_not(None),
            PrivateNote.body.icontains(words, autoescape=True),
        )
        matches.append(PublishedItem.item_id.in_(mine))
    return query.where(or_(*matches))


def links_by_item(ids) -> dict[int, list[ItemLink]]:
    """The links (slides, papers, recordings) of the items ``ids``, in their order."""
    links: dict[int, list[ItemLink]] = {}
    query = select(ItemLink).where(ItemLink.item_id.in_(ids))
    for link in db.session.scalars(query.order_by(ItemLink.position, ItemLink.id)):
        links.setdefault(link.item_id, []).append(link)
    return links


def _note_starts(conference: Conference) -> dict[int, tuple[int, str]]:
    """``{item_id: (revision number, first characters of the current text)}``."""
    start = func.substr(NoteRevision.body, 1, EXCERPT_CHARS)
    rows = db.session.execute(
        _current_texts(conference, SharedNote.item_id, SharedNote.revision_count, start)
    )
    return {item_id: (number, text or "") for item_id, number, text in rows}


def _with_private_notes(user: User, conference: Conference) -> set[int]:
    return set(
        db.session.scalars(
            select(PrivateNote.item_id).where(
                PrivateNote.user_id == user.id,
                PrivateNote.conference_id == conference.id,
                PrivateNote.body != "",
            )
        )
    )


def knowledge_of(conference: Conference, user: User | None, q: str = "") -> Knowledge:
    """Every published session (breaks left out) with its notes' start, links and whether
    ``user`` attended it or wrote a private note on it; ``q`` searches titles, abstracts,
    speakers, shared notes and ``user``'s own private notes. Six queries."""
    words = " ".join((q or "").split())[:SEARCH_MAX]
    query = published(conference, lean=True).where(PublishedItem.kind != ItemKind.BREAK)
    if words:
        query = _search(query, conference, user, words)
    items = list(db.session.scalars(query).unique())
    starts = _note_starts(conference)
    links = links_by_item([item.item_id for item in items])
    attended = attended_ids(user, conference) if user is not None else set()
    private = _with_private_notes(user, conference) if user is not None else set()
    entries, days = [], {}
    for item in items:
        number, start = starts.get(item.item_id, (0, ""))
        entry = Entry(
            item=item,
            excerpt=plain_excerpt(start),
            revisions=number if start.strip() else 0,
            links=links.get(item.item_id, []),
            private=item.item_id in private,
            attended=item.item_id in attended,
        )
        entries.append(entry)
        days.setdefault(to_local(item.starts_at, conference.tz).date(), []).append(entry)
    return Knowledge(
        attended=[e for e in entries if e.attended],
        days=list(days.items()),
        query=words,
        total=len(entries),
        with_notes=sum(1 for e in entries if e.revisions),
    )
