"""Workshop seats, waitlists and in-app notifications.

Seats are counted in ``ScheduleItem.seats_taken`` and changed only by conditional UPDATEs
(``... WHERE seats_taken < capacity``), so no interleaving of requests can overbook; a CHECK
constraint backs that up. ``Seat`` has one row per person and workshop (unique).
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db


class SeatStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    ENTERED = "entered"  # in a lottery that has not been drawn yet


class SignupMode(enum.StrEnum):
    FIRST_COME = "first come"
    LOTTERY = "lottery"


class Seat(db.Model):
    """A person's place in a workshop: a confirmed seat, a waitlist place or a lottery entry.

    Waitlist order is arrival order (``id``), or the drawn order after a lottery (``rank``).
    """

    __tablename__ = "seats"
    __table_args__ = (
        UniqueConstraint("item_id", "user_id"),
        Index("ix_seats_item_status", "item_id", "status", "rank", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("schedule_items.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[SeatStatus] = mapped_column(enum_type(SeatStatus))
    rank: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item = relationship("ScheduleItem")
    user = relationship("User")


class Notification(db.Model):
    """An in-app message (also sent by email): "You got a seat in ...". ``url`` is a path."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
