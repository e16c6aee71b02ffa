"""Schedule releases and the published programme attendees see.

Organizers edit ``ScheduleItem`` rows (the draft). Publishing copies every changed item into its
``PublishedItem`` (the attendee view), numbers the release and records what changed. Attendee
pages, exports and feeds read ``PublishedItem`` only, so a half-finished edit never leaks.
"""

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db
from confnet.models.programme import ItemKind, item_speakers


class Release(db.Model):
    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    conflicts_acknowledged: Mapped[int] = mapped_column(default=0)

    changes = relationship(
        "ReleaseChange",
        back_populates="release",
        order_by="ReleaseChange.id",
        cascade="all, delete-orphan",
    )


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    MOVED = "moved"
    ROOM_CHANGED = "room changed"
    RENAMED = "renamed"
    CANCELLED = "cancelled"
    RESTORED = "restored"
    UPDATED = "updated"

    @property
    def noticeable(self) -> bool:
        """Would an attendee's calendar need to know? (time, room, title, cancellation)"""
        return self is not ChangeKind.UPDATED


class ReleaseChange(db.Model):
    __tablename__ = "release_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind))
    summary: Mapped[str] = mapped_column(String(300), default="")

    release = relationship("Release", back_populates="changes")
    item = relationship("ScheduleItem")


class PublishedItem(db.Model):
    """An item as attendees see it, as of the latest release that touched it."""

    __tablename__ = "published_items"
    __table_args__ = (Index("ix_published_items_conference_start", "conference_id", "starts_at"),)

    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), primary_key=True
    )
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    guid: Mapped[uuid.UUID]
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None]
    signup_required: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[str] = mapped_column(String(500), default="")
    # Speaker names as published, for search and exports (the links live on the item).
    speaker_names: Mapped[str] = mapped_column(String(1000), default="")
    # Raised on every change an attendee would notice (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    first_release: Mapped[int]
    changed_in_release: Mapped[int]
    last_change: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item = relationship("ScheduleItem", viewonly=True)
    track = relationship("Track", viewonly=True)
    room = relationship("Room", viewonly=True)
    speakers = relationship(
        "Speaker",
        secondary=item_speakers,
        order_by="Speaker.name",
        viewonly=True,
        primaryjoin="PublishedItem.item_id == item_speakers.c.item_id",
    )

    @property
    def id(self) -> int:
        return self.item_id

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class Star(db.Model):
    """An attendee's starred session: it is in their agenda."""

    __tablename__ = "stars"
    # Who starred a session, read from the index alone (the suggestions' shared sessions).
    __table_args__ = (Index("ix_stars_item_user", "item_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StarCount(db.Model):
    """How many people starred a session, kept by database triggers on ``stars`` (migration
    0009) in the same transaction as the star, whichever code or process writes it: schedule
    pages read one row per session instead of counting thousands of stars. No row: no stars."""

    __tablename__ = "star_counts"
    __table_args__ = {"info": {"derived": True}}  # filled by triggers: not in backups

    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), primary_key=True
    )
    stars: Mapped[int]


class ProgrammeStamp(db.Model):
    """The version of what a conference's exports and public feeds show live, without a
    release: a random token, renewed by database triggers (migration 0011) in the same
    transaction as any change to its rooms, tracks, speakers, session links or speaker
    assignments, or the deletion of a session, whichever code or process writes it. With the
    latest release number and the conference's own details it names everything
    ``schedule.json`` and ``schedule.ics`` show, so asking "has it changed?" reads one row
    instead of every room, speaker and link. Every conference has a row from its creation; a
    new token is never an old one again."""

    __tablename__ = "programme_stamps"
    __table_args__ = {"info": {"derived": True}}  # filled by triggers: not in backups

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))
