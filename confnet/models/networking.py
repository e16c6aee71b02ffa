"""Meeting people: introductions, their message threads, blocks, reports, dismissed suggestions,
meeting points and meetings.

An ``Introduction`` joins two people, stored as an ordered pair (``person_a_id`` <
``person_b_id``) so that "A and B" and "B and A" are the same row. Each side answers for itself
(``a_answer``/``b_answer``); whoever asked directly has already said yes. ``introducer_id`` is
the third person who wrote to both, or None for a direct request. At most one introduction per
pair is live (pending or accepted): a partial unique index enforces that across processes.
An accepted introduction is a *connection*: contact details show, messages and meetings open.

A ``Meeting`` is between the two people of a connection. ``awaiting_id`` is whoever must answer
the current proposal; a counter-proposal moves it to the other person. It becomes None once the
meeting is accepted (or a cancellation ends an accepted one); a proposal that was declined or
withdrawn keeps it, naming the person who was asked, so that each side reads the right words
("You said no" / "can't make that time"). ``sequence`` counts changes, for calendar clients;
``accepted_at`` says the meeting reached calendars, so a later cancellation must too.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db


class Answer(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class IntroductionStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"  # one blocked the other


LIVE_STATUSES = ("pending", "accepted")


class Introduction(db.Model):
    """A request to connect two people (see the module docstring)."""

    __tablename__ = "introductions"
    __table_args__ = (
        CheckConstraint("person_a_id < person_b_id", name="ordered_pair"),
        Index(
            "uq_introductions_live_pair",
            "person_a_id",
            "person_b_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'accepted')"),
            postgresql_where=text("status IN ('pending', 'accepted')"),
        ),
        Index("ix_introductions_person_b", "person_b_id", "status"),
        Index("ix_introductions_requested_by", "requested_by_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    person_a_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Who wrote the request: one of the pair (direct) or a third person (introducer).
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text, default="")
    a_answer: Mapped[Answer] = mapped_column(enum_type(Answer), default=Answer.PENDING)
    b_answer: Mapped[Answer] = mapped_column(enum_type(Answer), default=Answer.PENDING)
    status: Mapped[IntroductionStatus] = mapped_column(
        enum_type(IntroductionStatus), default=IntroductionStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference = relationship("Conference")
    person_a = relationship("User", foreign_keys=[person_a_id])
    person_b = relationship("User", foreign_keys=[person_b_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])

    @property
    def is_brokered(self) -> bool:
        return self.requested_by_id not in (self.person_a_id, self.person_b_id)

    def involves(self, user_id: int) -> bool:
        return user_id in (self.person_a_id, self.person_b_id)

    def other_id(self, user_id: int) -> int:
        """The other person of the pair, seen from ``user_id`` (one of the pair)."""
        return self.person_b_id if user_id == self.person_a_id else self.person_a_id

    def answer_of(self, user_id: int) -> Answer:
        return self.a_answer if user_id == self.person_a_id else self.b_answer


class Message(db.Model):
    """One message in the thread of an accepted introduction."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread", "introduction_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sender = relationship("User")


class Block(db.Model):
    """``blocker`` no longer wants any contact with ``blocked`` (in every conference)."""

    __tablename__ = "blocks"
    __table_args__ = (CheckConstraint("blocker_id <> blocked_id", name="not_self"),)

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    blocked = relationship("User", foreign_keys=[blocked_id])


class Dismissal(db.Model):
    """A suggestion that ``user`` set aside in one conference; it won't be suggested again."""

    __tablename__ = "suggestion_dismissals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    dismissed_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(db.Model):
    """A member told the organizers about another member's profile or behaviour."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("conference_id", "reporter_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter = relationship("User", foreign_keys=[reporter_id])
    subject = relationship("User", foreign_keys=[subject_id])


class MeetingPoint(db.Model):
    """A place the organizers set aside for short meetings ("Meeting lounge, level 2")."""

    __tablename__ = "meeting_points"
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(String(300), default="")


class MeetingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Meeting(db.Model):
    """A short meeting between the two people of a connection (see the module docstring)."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        Index("ix_meetings_host", "host_id", "starts_at"),
        Index("ix_meetings_guest", "guest_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guest_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    awaiting_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meeting_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_points.id", ondelete="SET NULL")
    )
    place: Mapped[str] = mapped_column(String(160), default="")  # when "other" was chosen
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.PROPOSED
    )
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once accepted: a later cancellation must reach the calendars that got the meeting.
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference = relationship("Conference")
    host = relationship("User", foreign_keys=[host_id])
    guest = relationship("User", foreign_keys=[guest_id])
    meeting_point = relationship("MeetingPoint")

    def other_id(self, user_id: int) -> int:
        return self.guest_id if user_id == self.host_id else self.host_id

    @property
    def where(self) -> str:
        """The meeting point's name, or the free-text place."""
        return self.meeting_point.name if self.meeting_point else (self.place or "To be agreed")
