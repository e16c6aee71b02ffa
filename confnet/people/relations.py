"""Between two people, read fresh from the database: blocks, and the row locks that make one
person's changes (introductions, meetings, blocks, their profile) happen one after the other.

``confnet.permissions`` answers the same questions for pages, memoised per request; a service
that decides under a lock must not trust a memo taken before the lock, so it asks here.
"""

from sqlalchemy import and_, bindparam, or_, select

from confnet.extensions import db
from confnet.models import Block, User


def ordered(x_id: int, y_id: int) -> tuple[int, int]:
    """The two ids, smaller first (the order of an introduction's pair)."""
    return (x_id, y_id) if x_id < y_id else (y_id, x_id)


def lock_people(*user_ids: int) -> None:
    """Lock the users' rows until the transaction ends, in id order (so two transactions locking
    the same people never deadlock). PostgreSQL only; on SQLite every POST already holds the
    database's write lock (BEGIN IMMEDIATE).

    ``FOR NO KEY UPDATE``: it excludes itself, but not the key-share locks that foreign-key
    checks take. With a plain ``FOR UPDATE``, inserting any row that points at a locked user (an
    introduction, a notification) waits for that lock, and two such transactions deadlock."""
    query = (
        select(User.id)
        .where(User.id.in_(set(user_ids)))
        .order_by(User.id)
        .with_for_update(key_share=True)
    )
    db.session.execute(query).all()


def blocked_between(x_id: int, y_id: int) -> bool:
    """Whether either of the two blocked the other, as stored now (not memoised)."""
    either = or_(
        and_(Block.blocker_id == x_id, Block.blocked_id == y_id),
        and_(Block.blocker_id == y_id, Block.blocked_id == x_id),
    )
    return db.session.scalar(select(Block.blocker_id).where(either).limit(1)) is not None


def blocked_ids(user_id: int) -> set[int]:
    """Everyone ``user_id`` blocked or was blocked by."""
    rows = db.session.execute(_BLOCKS, {"user_id": user_id})
    return {x if x != user_id else y for x, y in rows}


_BLOCKS = select(Block.blocker_id, Block.blocked_id).where(  # every directory page: built once
    or_(Block.blocker_id == bindparam("user_id"), Block.blocked_id == bindparam("user_id"))
)
