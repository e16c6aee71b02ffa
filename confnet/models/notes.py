"""Shared notes (one per session, every save a numbered revision) and private notes.

A ``SharedNote`` appears on a session's first save. Its ``revision_count`` is the number of the
current revision and doubles as the version for optimistic locking: a save names the revision it
started from and succeeds only through ``UPDATE ... WHERE revision_count = <that number>``, and
the unique ``(note_id, number)`` on ``note_revisions`` backs that up. Revisions are never
deleted or changed, except that an organizer may hide one (its text stays for audit).

A ``PrivateNote`` belongs to one person: per session (``item_id`` set) or, with ``item_id`` NULL,
their free note for the whole conference. NULLs are never equal in a unique constraint, so the
free note gets its own partial unique index.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, utcnow
from confnet.extensions import db


class SharedNote(db.Model):
    """The shared notebook of one schedule item; its text is revision ``revision_count``."""

    __tablename__ = "shared_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), unique=True
    )
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    revision_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteRevision(db.Model):
    """One save of a shared note. ``restored_from`` names the revision a restore copied."""

    __tablename__ = "note_revisions"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("shared_notes.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    restored_from: Mapped[int | None]
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])


class PrivateNote(db.Model):
    """A person's own note: only its author ever reads it (no admin override anywhere)."""

    __tablename__ = "private_notes"
    __table_args__ = (
        UniqueConstraint("user_id", "item_id"),
        Index(
            "uq_private_notes_free_note",
            "user_id",
            "conference_id",
            unique=True,
            sqlite_where=text("item_id IS NULL"),
            postgresql_where=text("item_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    # Raised on every save: two tabs of the same person can't overwrite each other unseen.
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
