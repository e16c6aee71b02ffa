"""The version of a personal feed in one query.

Calendar apps poll feeds all day, and most polls find nothing new, so the answer to "has it
changed?" must cost about as much as the cheapest request. After the feed's row (found by its
token), one SELECT reads, in scalar subqueries, every input of the feed as text (the inputs the
event sources read: the sessions the person committed to with their published state, rooms,
tracks and links; their meetings; the conferences they joined), each part aggregated into one
string in a fixed order. The version is a digest of those strings, the feed's settings, whether
each conference is over (cancelled events leave feeds then), the site's address and
``FEED_FORMAT``. Equal versions mean equal calendars, so it is a strong ETag and the key of the
rendered body.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    select,
    union_all,
)

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

FIELD, ROW = "\x1f", "\x1e"


def _field(column) -> ColumnElement[str]:
    """``<length>:<value>``, or "~" for NULL: self-delimiting, so that no value, whatever it
    holds, can make two different states read the same."""
    value = cast(column, String)
    return func.coalesce(cast(func.length(value), String) + ":" + value, "~")


def _text(*columns) -> ColumnElement[str]:
    """The columns as one string."""
    joined = _field(columns[0])
    for column in columns[1:]:
        joined = joined + FIELD + _field(column)
    return joined


def _aggregate(query: Select) -> ColumnElement[str]:
    """The rows of a one-column, ordered ``query`` joined into one string (a scalar subquery:
    aggregating an ordered subquery keeps its order on SQLite and PostgreSQL)."""
    rows = query.subquery()
    return select(func.aggregate_strings(rows.c[0], ROW)).scalar_subquery()


def _statement() -> Select:
    owner = bindparam("user_id")
    mine = union_all(*(commitment(owner) for commitment in COMMITMENTS)).subquery()
    item_id, starred, speaking, status, position, since = mine.c
    sessions = (
        select(
            _text(
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
        select(
            _text(ItemLink.item_id, ItemLink.id, ItemLink.position, ItemLink.label, ItemLink.url)
        )
        .where(ItemLink.item_id.in_(select(mine.c[0])))
        .order_by(ItemLink.id)
    )
    meetings = feed_meetings(owner)
    meeting_columns = [*list(meetings.selected_columns)[:-1], Conference.id]
    meetings = meetings.with_only_columns(_text(*meeting_columns), maintain_column_froms=True)
    conferences = (
        select(
            _text(
                *(Conference.id, Conference.slug, Conference.name, Conference.venue),
                *(Conference.city, Conference.timezone, Conference.ends_on),
            )
        )
        .join(Membership, Membership.conference_id == Conference.id)
        .where(Membership.user_id == owner)
        .order_by(Conference.id)
    )
    parts = (sessions, links, meetings, conferences)
    return select(*(_aggregate(part) for part in parts))


_STATE = _statement()


def feed_version(feed: CalendarFeed, site: tuple, now: datetime) -> str:
    """The version of ``feed`` now (one query). ``site`` is what of the site's address shows
    in the feed."""
    params = {"user_id": feed.user_id}
    sessions, links, meetings, conferences = db.session.execute(_STATE, params).one()
    lines = conferences.split(ROW) if conferences else []
    over = tuple(_is_over(line, now) for line in lines)
    settings = (feed.user_id, feed.reminder_minutes)
    state = (sessions, links, meetings, conferences, over)
    return digest((FEED_FORMAT, "personal", site, settings, state))


def _is_over(line: str, now: datetime) -> bool:
    """Whether the conference of a ``conferences`` line (…, timezone, ends_on) is over."""
    timezone, last_day = (field.split(":", 1)[1] for field in line.split(FIELD)[5:7])
    return now >= ends_at(date.fromisoformat(last_day[:10]), ZoneInfo(timezone))
