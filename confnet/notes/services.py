"""Shared notes: a notebook per session that every attendee can edit, without lost updates.

Rules that must hold under concurrency are kept by the database:
- one note per session: the unique ``shared_notes.item_id`` (a racing first save finds the
  other's note after its savepoint fails);
- no lost update: a save names the revision it started from (``base``) and only goes through
  ``UPDATE shared_notes SET revision_count = base + 1 WHERE id = ... AND revision_count = base``;
  if another save got in first that matches no row and the save is refused with an
  ``EditConflict`` carrying both texts. The unique ``(note_id, number)`` backs this up;
- revisions are only ever added; hiding one keeps its text for audit.
Restoring and hiding a revision are written to the audit log (``confnet.audit``), with the
revision's author as the subject. Services flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, func, literal, select, update
from sqlalchemy.exc import IntegrityError

from confnet.audit.services import record_action
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import AuditAction, NoteRevision, PublishedItem, SharedNote, User

MAX_NOTE_BYTES = 100_000
HISTORY_PAGE = 50


class NoteRefused(DomainError):
    pass


class NoteTooLong(NoteRefused):
    pass


class EditConflict(DomainError):
    """Someone saved in between: nothing was saved, and the person must merge."""

    status = 409

    def __init__(self, current: "CurrentNote", submitted: str):
        super().__init__(
            "Someone saved these notes while you were editing, so your text was not saved yet."
        )
        self.current = current
        self.submitted = submitted


class _SaveLost(Exception):
    """The conditional update matched no row: another save won the race."""


@dataclass(frozen=True)
class CurrentNote:
    """A session's shared note as it is now (``revision`` is None before the first save)."""

    note: SharedNote | None
    revision: NoteRevision | None
    author_name: str | None = None

    @property
    def number(self) -> int:
        return self.revision.number if self.revision else 0

    @property
    def body(self) -> str:
        return self.revision.body if self.revision else ""


@dataclass(frozen=True)
class RevisionRow:
    """A line of the history: the revision without its text, plus who and how long."""

    revision: NoteRevision
    author_name: str | None
    size: int


def normalise_body(text: str | None) -> str:
    """One line-ending style (browsers send CRLF), and the size cap checked (NoteTooLong)."""
    body = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    size = len(body.encode("utf-8"))
    if size > MAX_NOTE_BYTES:
        raise NoteTooLong(
            f"Notes can be at most {MAX_NOTE_BYTES // 1000} KB, and this text is "
            f"{-(-size // 1000)} KB. Shorten it, or keep part of it in your private note."
        )
    return body


def current_note(item_id: int) -> CurrentNote:
    """The shared note of item ``item_id`` with its current revision and author (one query)."""
    return CurrentNote(*db.session.execute(_CURRENT, {"item_id": item_id}).one())


def current_note_statement(*also) -> Select:
    """The statement of ``current_note`` (parameter ``item_id``) with the columns ``also``
    after (note, revision, author's name). It always gives one row: NULLs before the first
    save."""
    one_row = select(literal(1).label("one")).subquery()
    return (
        select(SharedNote, NoteRevision, User.name, *also)
        .select_from(one_row)
        .outerjoin(SharedNote, SharedNote.item_id == bindparam("item_id"))
        .outerjoin(
            NoteRevision,
            (NoteRevision.note_id == SharedNote.id)
            & (NoteRevision.number == SharedNote.revision_count),
        )
        .outerjoin(User, User.id == NoteRevision.author_id)
        .execution_options(populate_existing=True)
    )


_CURRENT = current_note_statement()  # read on every session and note page: built once


def _note_for(item: PublishedItem, now: datetime) -> SharedNote:
    """The item's note, created on first use; two first saves at once share one note."""
    query = select(SharedNote).filter_by(item_id=item.item_id)
    note = db.session.scalar(query.execution_options(populate_existing=True))
    if note is not None:
        return note
    try:
        with db.session.begin_nested():
            note = SharedNote(
                item_id=item.item_id,
                conference_id=item.conference_id,
                revision_count=0,
                created_at=now,
                updated_at=now,
            )
            db.session.add(note)
    except IntegrityError:  # the other first save committed its note: use that one
        note = db.session.scalar(query.execution_options(populate_existing=True))
    return note


def _append_revision(
    note: SharedNote, base: int, body: str, author: User | None, now: datetime, **extra
) -> NoteRevision:
    """Add revision ``base + 1`` if ``base`` is still current; else ``_SaveLost``."""
    try:
        with db.session.begin_nested():
            result = db.session.execute(
                update(SharedNote)
                .where(SharedNote.id == note.id, SharedNote.revision_count == base)
                .values(revision_count=base + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise _SaveLost
            revision = NoteRevision(
                note_id=note.id,
                number=base + 1,
                author_id=author.id if author else None,
                body=body,
                created_at=now,
                **extra,
            )
            db.session.add(revision)
    except IntegrityError as err:  # (note_id, number) taken: the same race, seen later
        raise _SaveLost from err
    finally:
        db.session.expire(note, ["revision_count", "updated_at"])
    return revision


def save_shared_note(
    item: PublishedItem, author: User, text: str, *, base: int, now: datetime
) -> NoteRevision | None:
    """Save ``text`` as the next revision of the item's shared note, created on first save.

    ``base`` is the revision number the edit started from (0 for a new note). Returns the new
    revision, or None when the text equals the current one. Raises ``NoteRefused`` for a
    cancelled session, ``NoteTooLong`` over the size cap, and ``EditConflict`` (with both
    texts) when someone saved after ``base``: then nothing is saved.
    """
    if item.cancelled:
        raise NoteRefused(f"“{item.title}” is cancelled, so its notes can be read but not changed.")
    body = normalise_body(text)
    note = _note_for(item, now)
    current = current_note(item.item_id)
    if current.revision is not None and body == current.body:
        return None
    if base != note.revision_count:
        raise EditConflict(current, body)
    try:
        return _append_revision(note, base, body, author, now)
    except _SaveLost:
        raise EditConflict(current_note(item.item_id), body) from None


def _lock_note(note: SharedNote) -> None:
    """Moderation reads then writes: hold the note's row (PostgreSQL; SQLite write
    transactions are already serialised by BEGIN IMMEDIATE)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(SharedNote.id).where(SharedNote.id == note.id).with_for_update())
    db.session.refresh(note)


def revision_of(item_id: int, number: int) -> NoteRevision | None:
    return db.session.scalar(
        select(NoteRevision)
        .join(SharedNote, SharedNote.id == NoteRevision.note_id)
        .where(SharedNote.item_id == item_id, NoteRevision.number == number)
    )


def _moderated(item: PublishedItem, number: int) -> tuple[SharedNote, NoteRevision]:
    current = current_note(item.item_id)
    revision = revision_of(item.item_id, number) if current.note else None
    if revision is None:
        raise NoteRefused(f"These notes have no revision {number}.")
    _lock_note(current.note)
    db.session.refresh(revision)
    return current.note, revision


def restore_revision(item: PublishedItem, number: int, *, by: User, now: datetime) -> NoteRevision:
    """Make revision ``number``'s text current again, as a new revision (history is kept)."""
    if item.cancelled:
        raise NoteRefused(f"“{item.title}” is cancelled, so its notes can't be changed.")
    note, revision = _moderated(item, number)
    if revision.hidden_at is not None:
        raise NoteRefused(f"Revision {number} is hidden, so it can't be restored.")
    if number == note.revision_count:
        raise NoteRefused(f"Revision {number} is already the current text.")
    try:
        restored = _append_revision(
            note, note.revision_count, revision.body, by, now, restored_from=number
        )
    except _SaveLost:
        raise NoteRefused("Someone saved at the same moment. Look again and retry.") from None
    again = f"is the current text again (as revision {restored.number})."
    _audit(AuditAction.REVISION_RESTORED, item, revision, by, now, again)
    return restored


def _audit(action, item: PublishedItem, revision: NoteRevision, by: User, now, done: str) -> None:
    details = f"Shared notes of “{item.title}”: revision {revision.number} {done}"
    record_action(
        action,
        conference_id=item.conference_id,
        actor=by,
        subject_id=revision.author_id,
        details=details,
        now=now,
    )


def hide_revision(
    item: PublishedItem, number: int, *, by: User, now: datetime
) -> NoteRevision | None:
    """Hide revision ``number`` from everyone (its text stays in the database for audit).

    Hiding the current revision also brings back the newest visible one before it (or an
    empty note), as a new revision; that revision is returned. Hiding twice changes nothing.
    """
    note, revision = _moderated(item, number)
    if revision.hidden_at is not None:
        return None
    revision.hidden_at, revision.hidden_by_id = now, by.id
    db.session.flush()
    _audit(AuditAction.REVISION_HIDDEN, item, revision, by, now, "is hidden.")
    if number != note.revision_count:
        return None
    previous = db.session.scalar(
        select(NoteRevision)
        .where(
            NoteRevision.note_id == note.id,
            NoteRevision.number < number,
            NoteRevision.hidden_at.is_(None),
        )
        .order_by(NoteRevision.number.desc())
        .limit(1)
    )
    body = previous.body if previous else ""
    restored = previous.number if previous else None
    try:
        return _append_revision(note, number, body, by, now, restored_from=restored)
    except _SaveLost:  # not expected while the note is locked; never a 500 if it happens
        raise NoteRefused("Someone saved at the same moment. Look again and retry.") from None


def history_of(item_id: int, *, before: int | None = None) -> list[RevisionRow]:
    """Revisions newest first, ``HISTORY_PAGE`` at a time (``before``: older than that)."""
    query = (
        select(NoteRevision, User.name, func.length(NoteRevision.body))
        .join(SharedNote, SharedNote.id == NoteRevision.note_id)
        .outerjoin(User, User.id == NoteRevision.author_id)
        .where(SharedNote.item_id == item_id)
        .order_by(NoteRevision.number.desc())
        .limit(HISTORY_PAGE)
    )
    if before is not None:
        query = query.where(NoteRevision.number < before)
    return [RevisionRow(*row) for row in db.session.execute(query)]


def contributors_of(item_id: int, limit: int = 8) -> tuple[list[str], int]:
    """Names of the people whose visible revisions made the note (first contribution first),
    at most ``limit`` of them, and how many there are in all."""
    rows = db.session.execute(
        select(User.name, func.count().over())  # over the groups: one per person
        .join(NoteRevision, NoteRevision.author_id == User.id)
        .join(SharedNote, SharedNote.id == NoteRevision.note_id)
        .where(SharedNote.item_id == item_id, NoteRevision.hidden_at.is_(None))
        .group_by(User.id, User.name)
        .order_by(func.min(NoteRevision.number))
        .limit(limit)
    ).all()
    return [name for name, _ in rows], (rows[0][1] if rows else 0)
