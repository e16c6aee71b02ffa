"""Private notes: one per person and session, plus a free note per conference.

Every function takes the owner and filters on ``user_id``: there is no way to name somebody
else's note, so nobody (organizers and site admins included) can ever read it. Saves carry the
version they started from, like shared notes, so a second tab can't overwrite the first unseen.
Services flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference, PrivateNote, PublishedItem, User
from confnet.notes.services import NoteRefused, normalise_body


class PrivateConflict(DomainError):
    """The note changed (in another tab or device) after this edit began: nothing saved."""

    status = 409

    def __init__(self, note: PrivateNote, submitted: str):
        super().__init__("This note changed in another tab or device since you opened it.")
        self.note = note
        self.submitted = submitted


def _query(user: User, conference: Conference, item_id: int | None):
    query = select(PrivateNote).where(
        PrivateNote.user_id == user.id, PrivateNote.conference_id == conference.id
    )
    if item_id is None:
        return query.where(PrivateNote.item_id.is_(None))
    return query.where(PrivateNote.item_id == item_id)


def private_note(user: User, conference: Conference, item_id: int | None) -> PrivateNote | None:
    """``user``'s own note on item ``item_id`` (None: their free note for the conference)."""
    return db.session.scalar(
        _query(user, conference, item_id).execution_options(populate_existing=True)
    )


def _note_for(user: User, conference: Conference, item_id: int | None, now) -> PrivateNote:
    note = private_note(user, conference, item_id)
    if note is not None:
        return note
    try:
        with db.session.begin_nested():
            note = PrivateNote(
                user_id=user.id,
                conference_id=conference.id,
                item_id=item_id,
                body="",
                version=0,
                updated_at=now,
            )
            db.session.add(note)
    except IntegrityError:  # the same person's other tab created it a moment ago
        note = private_note(user, conference, item_id)
    return note


def save_private_note(
    user: User,
    conference: Conference,
    item: PublishedItem | None,
    text: str,
    *,
    version: int,
    now: datetime,
) -> bool:
    """Save ``user``'s note on ``item`` (None: the conference's free note). Returns False when
    nothing changed. ``version`` is the note's version when the edit began (0 for a new one).
    Raises ``NoteRefused`` (cancelled session), ``NoteTooLong`` or ``PrivateConflict``."""
    if item is not None and item.cancelled:
        raise NoteRefused(f"“{item.title}” is cancelled, so its notes can be read but not changed.")
    body = normalise_body(text)
    note = _note_for(user, conference, item.item_id if item else None, now)
    if body == note.body:
        return False
    if version != note.version:
        raise PrivateConflict(note, body)
    result = db.session.execute(
        update(PrivateNote)
        .where(PrivateNote.id == note.id, PrivateNote.version == version)
        .values(body=body, version=version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(note)
    if result.rowcount != 1:
        raise PrivateConflict(private_note(user, conference, note.item_id), body)
    return True


@dataclass(frozen=True)
class MyNote:
    note: PrivateNote
    item: PublishedItem | None


def private_notes_of(user: User, conference: Conference) -> list[MyNote]:
    """All of ``user``'s non-empty notes in ``conference``: the free note first, then by
    session time (one query)."""
    rows = db.session.execute(
        select(PrivateNote, PublishedItem)
        .outerjoin(PublishedItem, PublishedItem.item_id == PrivateNote.item_id)
        .where(
            PrivateNote.user_id == user.id,
            PrivateNote.conference_id == conference.id,
            PrivateNote.body != "",
        )
        .order_by(PrivateNote.item_id.is_not(None), PublishedItem.starts_at, PrivateNote.id)
    ).all()
    return [MyNote(note, item) for note, item in rows]
