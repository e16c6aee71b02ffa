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

Most polls need less. ``calendar_feeds.changes`` is raised by triggers whenever anything only
this person's feed shows changes (migration 0012); everything else a feed shows belongs to a
conference: its details, its latest release and its programme stamp. Those few columns are the
feed's *key*. The feed's row keeps the key its recorded version was read with (``version_key``),
and while the key is the same, the recorded version is current: a poll reads the key alone
(``peek_feed_state``), and the whole state only when the key moved.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    func,
    join,
    lambda_stmt,
    select,
    union_all,
)

from confnet.database import ONE_STATEMENT
from confnet.extensions import db
from confnet.feeds.events import ends_at
from confnet.feeds.sources import COMMITMENTS, seated
from confnet.feeds.stamps import FEED_FORMAT, digest
from confnet.meetings.feed import feed_meetings
from confnet.models import (
    CalendarFeed,
    Conference,
    ItemLink,
    Membership,
    ProgrammeStamp,
    PublishedItem,
    Release,
    Room,
    Seat,
    Track,
)
from confnet.state_text import FIELD, ROW, aggregate, text
from confnet.watch import WATCHED, keep


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
    conferences = select(text(*CONFERENCE)).select_from(_joined(owner))
    return [aggregate(part) for part in (sessions, links, meetings, conferences.order_by(*ORDER))]


# What a feed shows of each conference it covers (``_is_over`` reads the timezone and last day).
CONFERENCE = (Conference.id, Conference.slug, Conference.name, Conference.venue)
CONFERENCE += (Conference.city, Conference.timezone, Conference.ends_on)
ORDER = (Conference.id,)


def _joined(owner):
    """The conferences ``owner`` joined."""
    mine = and_(Membership.conference_id == Conference.id, Membership.user_id == owner)
    return join(Conference, Membership, mine)


def _key(owner) -> tuple:
    """The feed's key as three columns: its changes counter, the owner's workshop places as
    the feed shows them (a waitlist position moves with other people's places) and, for each
    conference the owner joined, what the feed shows of it with its latest release and
    programme stamp (the feed's row must be in the FROM clause)."""
    release = (
        select(func.max(Release.number))
        .where(Release.conference_id == Conference.id)
        .scalar_subquery()
    )
    stamp = ProgrammeStamp.conference_id == Conference.id
    conferences = (
        select(text(*CONFERENCE, release, ProgrammeStamp.token))
        .select_from(_joined(owner).outerjoin(ProgrammeStamp, stamp))
        .order_by(*ORDER)
    )
    places = seated(owner)
    places = places.with_only_columns(text(*places.selected_columns)).order_by(Seat.item_id)
    return (CalendarFeed.changes, aggregate(places), aggregate(conferences))


def _by_hash() -> tuple:
    """The condition finding a feed by its token's hash, and its owner as an uncorrelated
    subquery on the same (unique) hash: both databases run it once, and nothing is read for a
    token that opens no feed."""
    by_hash = CalendarFeed.token_hash == bindparam("token_hash")
    return by_hash, select(CalendarFeed.user_id).where(by_hash).correlate(None).scalar_subquery()


# The tables ``_peek_statement`` reads: every table the watch hears of (migration 0013 made
# their triggers for this key).
KEY_TABLES = tuple(sorted(WATCHED))

FEED = (CalendarFeed.id, CalendarFeed.user_id, CalendarFeed.salt, CalendarFeed.reminder_minutes)
RECORDED = (CalendarFeed.version, CalendarFeed.version_at, CalendarFeed.version_key)


def _open_statement() -> Select:
    """The feed's row by token hash, its key and its whole state."""
    by_hash, owner = _by_hash()
    return select(*FEED, *RECORDED, *_key(owner), *_statement(owner)).where(by_hash)


def _peek_statement() -> Select:
    """The feed's row by token hash and its key."""
    by_hash, owner = _by_hash()
    return select(*FEED, *RECORDED, *_key(owner)).where(by_hash)


# The columns before the state in ``_open_statement``'s rows.
KEYED = len(FEED) + len(RECORDED) + len(_key(bindparam("user_id")))

# Lambda statements: SQLAlchemy keys their compiled form by the function's code instead of
# walking a large statement to make a cache key on every poll (a quarter of its overhead).
_OPEN = lambda_stmt(_open_statement)
_PEEK = lambda_stmt(_peek_statement)


@dataclass(frozen=True)
class FeedState:
    """A feed's row as a poll read it, and its key and version now."""

    id: int
    user_id: int
    salt: str
    reminder_minutes: int | None
    version: str  # the version last recorded, since when, and its key
    version_at: datetime
    version_key: str
    key: str  # the key now
    current: str | None  # the version now (None: a peek found the key moved)


def open_feed_state(token_hash: str, site: tuple, now: datetime) -> FeedState | None:
    """The feed whose token has ``token_hash``, with its key and version now (one query), or
    None. ``site`` is what of the site's address shows in the feed. Read in the request's
    transaction, so that what is rendered next belongs to the same state."""
    db.session.flush()  # the connection is used directly (less overhead): no autoflush
    row = db.session.connection().execute(_OPEN, {"token_hash": token_hash}).first()
    if row is None:
        return None
    feed = _feed(row[:KEYED], site, now)
    sessions, links, meetings, conferences = row[KEYED:]
    lines = conferences.split(ROW) if conferences else []
    over = tuple(_is_over(line, now) for line in lines)
    stamp = (sessions, links, meetings, conferences, over)
    current = digest((FEED_FORMAT, "personal", site, (feed.user_id, feed.reminder_minutes), stamp))
    return replace(feed, current=current)


def peek_feed_state(token_hash: str, site: tuple, now: datetime) -> FeedState | None:
    """The feed whose token has ``token_hash`` with its key now, and its version now if the
    key is the recorded one (else ``current`` is None), or None. For a poll that will most
    likely be answered 304 and needs nothing else from the database: one small statement,
    whose answer the worker keeps until the database changes (``confnet.watch``)."""
    row = keep(("feed key", token_hash), KEY_TABLES, partial(_peek_row, token_hash))
    if row is None:
        return None
    feed = _feed(row, site, now)
    return replace(feed, current=feed.version if feed.key == feed.version_key else None)


def _peek_row(token_hash: str) -> tuple | None:
    """The feed's row and key columns, on a connection of its own without BEGIN and COMMIT
    (autocommit)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn = conn.execution_options(**{ONE_STATEMENT: True})  # no BEGIN
        else:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        row = conn.execute(_PEEK, {"token_hash": token_hash}).first()
    return None if row is None else tuple(row)


def _feed(row, site: tuple, now: datetime) -> FeedState:
    """The feed's row and its key now, from the columns FEED, RECORDED and ``_key``."""
    feed_id, user_id, salt, reminders, version, version_at, version_key, *parts = row
    lines = parts[-1]  # the conferences
    over = tuple(_is_over(line, now) for line in lines.split(ROW)) if lines else ()
    key = digest((FEED_FORMAT, "key", site, reminders, *parts, over))
    fields = (feed_id, user_id, salt, reminders, version, version_at, version_key, key)
    return FeedState(*fields, current=None)


def _is_over(line: str, now: datetime) -> bool:
    """Whether the conference of a ``conferences`` line (…, timezone, ends_on) is over."""
    timezone, last_day = (field.split(":", 1)[1] for field in line.split(FIELD)[5:7])
    return now >= ends_at(date.fromisoformat(last_day[:10]), ZoneInfo(timezone))
