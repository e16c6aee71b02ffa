"""The audit log: what organizers did to people in their conference, and who did it.

One ``AuditEntry`` per action, written by the service that acts, in the same transaction (an
action that is rolled back leaves no entry; one that is committed always has one). Entries are
only ever added. ``actor_id`` and ``subject_id`` become NULL when that account is deleted: the
entry stays, its details never name anyone (see ``confnet.audit``).
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db


class AuditAction(enum.StrEnum):
    """What an organizer did; ``label`` reads in a sentence ("hid the profile of")."""

    PROFILE_HIDDEN = "profile hidden"
    PROFILE_RESTORED = "profile restored"
    REPORT_DISMISSED = "report dismissed"
    SEAT_MOVED = "seat moved"
    REVISION_RESTORED = "revision restored"
    REVISION_HIDDEN = "revision hidden"

    @property
    def label(self) -> str:
        return {
            "profile hidden": "hid the profile of",
            "profile restored": "restored the profile of",
            "report dismissed": "dismissed a report about",
            "seat moved": "gave a seat from the waitlist to",
            "revision restored": "restored a note revision by",
            "revision hidden": "hid a note revision by",
        }[self.value]


class AuditEntry(db.Model):
    """One organizer action on a person (see the module docstring)."""

    __tablename__ = "audit_entries"
    # The log page lists one conference's entries, newest first, a page at a time.
    __table_args__ = (Index("ix_audit_entries_conference", "conference_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    # Both indexed: deleting an account sets them to NULL, and must find its rows quickly.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id])
    subject = relationship("User", foreign_keys=[subject_id])
