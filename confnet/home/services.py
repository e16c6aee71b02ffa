"""What is next for a person: the published sessions coming up in their conferences."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.models import Notification, PublishedItem, Star


def upcoming_sessions(
    conference_ids: list[int], now: datetime, *, user_id: int | None = None, limit: int = 5
) -> list[PublishedItem]:
    """Published, not cancelled sessions running now or starting next, soonest first.

    With ``user_id``, only the sessions that person starred (their agenda).
    """
    if not conference_ids:
        return []
    query = (
        select(PublishedItem)
        .where(
            PublishedItem.conference_id.in_(conference_ids),
            PublishedItem.ends_at > now,
            PublishedItem.cancelled.is_(False),
        )
        .options(selectinload(PublishedItem.room), selectinload(PublishedItem.track))
        .order_by(PublishedItem.starts_at, PublishedItem.item_id)
        .limit(limit)
    )
    if user_id is not None:
        query = query.join(Star, Star.item_id == PublishedItem.item_id).where(
            Star.user_id == user_id
        )
    return list(db.session.scalars(query))


def unread_notifications(user_id: int, limit: int = 3) -> list[Notification]:
    """The newest unread notifications, for the start page."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
