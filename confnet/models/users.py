"""Accounts, authentication events and the mail outbox."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, enum_type, utcnow
from confnet.extensions import db

TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame"}


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class User(UserMixin, db.Model):
    """A person with a login. ``email`` is stored lower-cased and is unique."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    is_site_admin: Mapped[bool] = mapped_column(default=False)
    # Part of the login cookie: rotating it (password change) signs out every other device.
    login_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")
    profile = relationship("Profile", back_populates="user", uselist=False, cascade="all")

    @property
    def first_name(self) -> str:
        """The name to greet someone by: ``Dr. Lena Vogel`` -> ``Lena``."""
        words = [w for w in self.name.split() if not w.endswith(".") and w.lower() not in TITLES]
        return words[0] if words else self.name

    def get_id(self) -> str:
        return f"{self.id}:{self.login_nonce}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AuthEventKind(enum.StrEnum):
    LOGIN_FAILURE = "login_failure"
    RESET_REQUEST = "reset_request"


class AuthEvent(db.Model):
    """A failed login or a reset request, counted to throttle guessing across all workers."""

    __tablename__ = "auth_events"
    __table_args__ = (
        Index("ix_auth_events_email_time", "kind", "email", "created_at"),
        Index("ix_auth_events_ip_time", "kind", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AuthEventKind] = mapped_column(enum_type(AuthEventKind))
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(db.Model):
    """An email kept in the database when no SMTP server is configured."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
