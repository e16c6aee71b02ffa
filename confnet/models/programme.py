"""The programme: rooms, tracks, speakers and schedule items.

A schedule item is any entry of the programme (talk, keynote, panel, workshop, poster session,
break, social); the user interface calls it a "session". It is not called ``Session`` to keep it
apart from ``db.session`` and ``flask.session``.
"""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db
from confnet.models.workshops import SignupMode


class ItemKind(enum.StrEnum):
    TALK = "talk"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    POSTER = "poster"
    BREAK = "break"
    SOCIAL = "social"


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None]
    notes: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)


class Track(db.Model):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(7), default="#4455aa")


item_speakers = Table(
    "item_speakers",
    db.metadata,
    Column("item_id", ForeignKey("schedule_items.id", ondelete="CASCADE"), primary_key=True),
    Column("speaker_id", ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    # The sessions a person speaks in (feeds, agendas) are found from the speaker's side.
    Index("ix_item_speakers_speaker_id", "speaker_id"),
)


class Speaker(db.Model):
    """A person on the programme, linked to an account when they have one."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    bio: Mapped[str] = mapped_column(Text, default="")


class ScheduleItem(db.Model):
    """One entry of the programme. Times are aware UTC; ``guid`` never changes."""

    __tablename__ = "schedule_items"
    __table_args__ = (
        Index("ix_schedule_items_conference_start", "conference_id", "starts_at"),
        # The last line of defence against overbooking (the services never rely on it).
        CheckConstraint(
            "seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)", name="seats"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    guid: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind), default=ItemKind.TALK)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None]
    signup_required: Mapped[bool] = mapped_column(default=False)
    # Sign-up operations (live, not part of releases): see confnet.models.workshops.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    signup_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signup_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    signup_mode: Mapped[SignupMode] = mapped_column(
        enum_type(SignupMode), default=SignupMode.FIRST_COME, server_default="first come"
    )
    lottery_seed: Mapped[int | None]
    lottery_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(default=False)
    # Lower-case tags, comma-separated: "heart failure,imaging".
    tags: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    track = relationship("Track")
    room = relationship("Room")
    speakers = relationship("Speaker", secondary=item_speakers, order_by="Speaker.name")
    links = relationship("ItemLink", order_by="ItemLink.position", cascade="all, delete-orphan")
    published = relationship("PublishedItem", uselist=False, viewonly=True)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class ItemLink(db.Model):
    """Slides, papers, recordings: live as soon as they are saved (no release needed)."""

    __tablename__ = "item_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_items.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
