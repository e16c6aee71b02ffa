"""A personal feed and its version in one query.

Calendar apps poll feeds all day, and most polls find nothing new, so the answer to "has it
changed?" must cost about as much as the cheapest request. One SELECT finds the feed's row by
the hash of its token and reads, in scalar subqueries, every input of the feed as text (the
inputs the event sources read: the sessions the person committed to with their published
state, rooms, tracks and links; their meetings; the conferences they joined), each part
aggregated into one string in a fixed order. The version is a digest of those strings, the
feed's settings, whether each conference is over (cancelled events leave feeds then), the
site's address and ``FEED_FORMAT``. Equal versions mean equal calendars, so it is a strong
ETag and the key of the rendered body.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    lambda_stmt,
    select,
    union_all,
)

from confnet.database import ONE_STATEMENT
from confnet.extensions import db
from confnet.feeds.events import ends_at
from confnet.feeds.sources import COMMITMENTS
from confnet.feeds.stamps import FEED_FORMAT, digest
from confnet.meetings.feed import feed_meetings
from confnet.models import (
    CalendarFeed,
    Conference,
    ItemLink,
    Membership,
    PublishedItem,
    Room,
    Track,
)
from confnet.state_text import FIELD, ROW, aggregate, text


def _statement(owner) -> Select:
    """The four parts of the state of ``owner``'s feed (``owner``: a user id expression)."""
    mine = union_all(*(commitment(owner) for commitment in COMMITMENTS)).subquery()
    item_id, starred, speaking, status, position, since = mine.c
    sessions = (
        select(
            text(
                *(item_id, starred, speaking, status, position, since),
                *(PublishedItem.updated_at, PublishedItem.cancelled, PublishedItem.conference_id),
                *(Room.name, Room.notes, Track.name),
            )
        )
        .select_from(mine)
        .join(PublishedItem, PublishedItem.item_id == item_id)
        .join(
            Membership,
            and_(
                Membership.conference_id == PublishedItem.conference_id,
                Membership.user_id == owner,
            ),
        )
        .outerjoin(Room, Room.id == PublishedItem.room_id)
        .outerjoin(Track, Track.id == PublishedItem.track_id)
        .order_by(item_id, status, starred, speaking)
    )
    links = (
        select(text(ItemLink.item_id, ItemLink.id, ItemLink.position, ItemLink.label, ItemLink.url))
        .where(ItemLink.item_id.in_(select(mine.c[0])))
        .order_by(ItemLink.id)
    )
    meetings = feed_meetings(owner)
    meeting_columns = [*list(meetings.selected_columns)[:-1], Conference.id]
    meetings = meetings.with_only_columns(text(*meeting_columns))  # its FROM and joins stay
    conferences = (
        select(
            text(
                *(Conference.id, Conference.slug, Conference.name, Conference.venue),
                *(Conference.city, Conference.timezone, Conference.ends_on),
            )
        )
        .join(Membership, Membership.conference_id == Conference.id)
        .where(Membership.user_id == owner)
        .order_by(Conference.id)
    )
    return [aggregate(part) for part in (sessions, links, meetings, conferences)]


def _open_statement() -> Select:
    """The feed's row by token hash, and its state. The owner is an uncorrelated subquery on
    the same (unique) hash: both databases run it once, and nothing is read for a token that
    opens no feed."""
    by_hash = CalendarFeed.token_hash == bindparam("token_hash")
    owner = select(CalendarFeed.user_id).where(by_hash).correlate(None).scalar_subquery()
    columns = (CalendarFeed.id, CalendarFeed.user_id, CalendarFeed.salt)
    settings = (CalendarFeed.reminder_minutes, CalendarFeed.version, CalendarFeed.version_at)
    return select(*columns, *settings, *_statement(owner)).where(by_hash)


# A lambda statement: SQLAlchemy keys its compiled form by this function's code instead of
# walking the large statement to make a cache key on every poll (a quarter of its overhead).
_OPEN = lambda_stmt(_open_statement)


@dataclass(frozen=True)
class FeedState:
    """A feed's row as the poll read it, and its version now."""

    id: int
    user_id: int
    salt: str
    reminder_minutes: int | None
    version: str  # the version last served, and since when
    version_at: datetime
    current: str  # the version now


def open_feed_state(token_hash: str, site: tuple, now: datetime) -> FeedState | None:
    """The feed whose token has ``token_hash``, with its version now (one query), or None.
    ``site`` is what of the site's address shows in the feed. Read in the request's
    transaction, so that what is rendered next belongs to the same state."""
    db.session.flush()  # the connection is used directly (less overhead): no autoflush
    row = db.session.connection().execute(_OPEN, {"token_hash": token_hash}).first()
    return _state(row, site, now)


def peek_feed_state(token_hash: str, site: tuple, now: datetime) -> FeedState | None:
    """``open_feed_state`` outside the request's transaction: one statement on a connection of
    its own, without BEGIN and COMMIT (autocommit), for a poll that will most likely be
    answered 304 and needs nothing else from the database. One statement sees one consistent
    state on both databases."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn = conn.execution_options(**{ONE_STATEMENT: True})  # no BEGIN
        else:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        row = conn.execute(_OPEN, {"token_hash": token_hash}).first()
    return _state(row, site, now)


def _state(row, site: tuple, now: datetime) -> FeedState | None:
    if row is None:
        return None
    feed_id, user_id, salt, reminders, version, version_at, *state = row
    sessions, links, meetings, conferences = state
    lines = conferences.split(ROW) if conferences else []
    over = tuple(_is_over(line, now) for line in lines)
    stamp = (sessions, links, meetings, conferences, over)
    current = digest((FEED_FORMAT, "personal", site, (user_id, reminders), stamp))
    return FeedState(feed_id, user_id, salt, reminders, version, version_at, current)


def _is_over(line: str, now: datetime) -> bool:
    """Whether the conference of a ``conferences`` line (…, timezone, ends_on) is over."""
    timezone, last_day = (field.split(":", 1)[1] for field in line.split(FIELD)[5:7])
    return now >= ends_at(date.fromisoformat(last_day[:10]), ZoneInfo(timezone))
