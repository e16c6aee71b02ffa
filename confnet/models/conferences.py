"""Conferences and who takes part in them."""

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db


class Role(enum.StrEnum):
    """Per-conference role; each one includes the rights of the ones before it."""

    ATTENDEE = "attendee"
    SPEAKER = "speaker"
    ORGANIZER = "organizer"

    @property
    def label(self) -> str:
        """``an organizer``: for sentences."""
        return f"{'an' if self.value[0] in 'aeiou' else 'a'} {self.value}"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Visibility(enum.StrEnum):
    """How visible a member's profile is to the other members of one conference."""

    LISTED = "listed"  # in the directory and in suggestions
    CONNECTIONS = "connections"  # only to people with an accepted introduction
    HIDDEN = "hidden"  # to nobody (accepted introductions still show contact details)

    @property
    def label(self) -> str:
        return {
            "listed": "Listed in the directory",
            "connections": "Visible only to people I'm introduced to",
            "hidden": "Hidden",
        }[self.value]


class Conference(db.Model):
    """A conference; its pages live under ``/c/<slug>/`` and its times show in ``timezone``."""

    __tablename__ = "conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    tagline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    venue: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships = relationship(
        "Membership", back_populates="conference", cascade="all, delete-orphan"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def __repr__(self) -> str:
        return f"<Conference {self.slug}>"


class Membership(db.Model):
    """A user's part in a conference: one row per person and conference."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("conference_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.ATTENDEE)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    visibility: Mapped[Visibility] = mapped_column(
        enum_type(Visibility), default=Visibility.LISTED, server_default=Visibility.LISTED.value
    )
    # Set when an organizer hides the profile after a report; it then shows to nobody.
    profile_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference = relationship("Conference", back_populates="memberships")
    user = relationship("User", back_populates="memberships")
