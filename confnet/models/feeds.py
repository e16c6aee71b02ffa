"""Calendar feeds: each person's secret iCalendar feed, and what calendar apps last saw.

The feed URL carries a token derived from a random per-feed ``salt`` and the site's secret
(HMAC-SHA256). The database keeps the salt and a SHA-256 hash of the token (for look-ups), never
the token itself: a copy of the database alone doesn't reveal anyone's feed URL, yet the owner
can come back and copy their URL again. Regenerating replaces the salt, so the old URL is dead.

``version`` is a digest of everything a feed shows (a cheap "version stamp", see
``confnet.feeds``) and ``version_at`` the moment it was first served: it is the feed's
Last-Modified, and it moves forward whenever the content changes, also when nothing in the
content carries a timestamp (an un-starred session, a renamed room). ``version_key`` tells a
poll, from a few narrow columns, that ``version`` is still current (``confnet.feeds.versions``).
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import UTCDateTime, utcnow
from confnet.extensions import db

REMINDER_CHOICES = (5, 10, 15, 30, 60)  # minutes before a session; None: no reminders


class CalendarFeed(db.Model):
    """One person's subscribable calendar feed (at most one per user)."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint(
            "reminder_minutes IS NULL OR reminder_minutes IN (5, 10, 15, 30, 60)",
            name="reminder_minutes",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    salt: Mapped[str] = mapped_column(String(64))  # hex; the token is HMAC(secret, salt)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    reminder_minutes: Mapped[int | None]
    version: Mapped[str] = mapped_column(String(64), default="")
    version_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by triggers whenever something only this person's feed shows changes (migration
    # 0012); ``version_key`` digests it with the conferences' state as of ``version``.
    changes: Mapped[int] = mapped_column(default=0, server_default="0")
    version_key: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token_created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


class ConferenceFeedVersion(db.Model):
    """What a conference's public calendar feeds (whole schedule, per track, per session) last
    looked like, and since when: their shared Last-Modified."""

    __tablename__ = "conference_feed_versions"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(64), default="")
    version_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
