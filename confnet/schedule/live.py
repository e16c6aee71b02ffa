"""What the attendee pages read besides the items themselves: the latest release (which
versions everything published), the badges it gives, the rooms and tracks, and stars."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Integer, Row, String, any_, bindparam, cast, select
from sqlalchemy.dialects.postgresql import ARRAY

from confnet.extensions import db
from confnet.models import (
    ChangeKind,
    Conference,
    PublishedItem,
    Release,
    ReleaseChange,
    Room,
    Star,
    StarCount,
    Track,
)

# The badge an attendee sees on an item changed in the latest release.
BADGES = {
    ChangeKind.ADDED: "new",
    ChangeKind.MOVED: "moved",
    ChangeKind.ROOM_CHANGED: "room changed",
    ChangeKind.RENAMED: "renamed",
    ChangeKind.CANCELLED: "cancelled",
    ChangeKind.RESTORED: "back on",
}


def release_stamp(conference: Conference) -> tuple[int, int, datetime] | None:
    """The latest release as ``(id, number, published_at)``, or None before the first: the
    published items only change with a new release, so this versions all of them."""
    row = (
        db.session.connection()
        .execute(
            select(Release.id, Release.number, Release.published_at)
            .where(Release.conference_id == conference.id)
            .order_by(Release.number.desc())
            .limit(1)
        )
        .first()
    )
    return tuple(row) if row else None


def latest_badges(conference: Conference, item_ids: list[int]) -> dict[int, list[str]]:
    """Badges for those of ``item_ids`` the latest release changed (see ``release_badges``)."""
    return release_badges(release_stamp(conference), item_ids)


def release_badges(
    release: tuple[int, int, datetime] | None, item_ids: list[int]
) -> dict[int, list[str]]:
    """Badges for those of ``item_ids`` that ``release`` (a ``release_stamp``, None before the
    first release) changed; "new" only after the first release: in release 1 all is new."""
    if not item_ids or release is None:
        return {}
    release_id, number, _ = release
    rows = db.session.execute(
        select(ReleaseChange.item_id, ReleaseChange.kind)
        .where(ReleaseChange.release_id == release_id, ReleaseChange.item_id.in_(item_ids))
        .order_by(ReleaseChange.id)
    )
    badges: dict[int, list[str]] = defaultdict(list)
    for item_id, kind in rows:
        if kind in BADGES and not (kind is ChangeKind.ADDED and number == 1):
            badges[item_id].append(BADGES[kind])
    return dict(badges)


def star_columns() -> tuple:
    """For the published item of the row: its count of stars (kept by triggers in
    ``star_counts``: one row, where counting read thousands of index entries per session), and
    whether the user bound as ``user_id`` starred it."""
    item = PublishedItem.item_id
    count = select(StarCount.stars).where(StarCount.item_id == item).scalar_subquery()
    mine = select(Star.item_id).where(Star.user_id == bindparam("user_id"), Star.item_id == item)
    return count, mine.exists()


def _star_query(among):
    """Per published item (``ids``): ``star_columns``. Built once: the ids are one parameter."""
    item = PublishedItem.item_id
    return select(item, *star_columns()).where(among(item))


# PostgreSQL takes the ids as one array: the statement's text is the same for any number of
# sessions, so it stays prepared (an expanded IN is new SQL, parsed and planned, for each
# count). The array is sent as its text ("{1,2,3}"), which the server parses: the driver
# would dump a day's two hundred ids one by one in Python. SQLite has no arrays.
_STARS = {  # per dialect: the statement, and the ids as its parameter
    "postgresql": (
        _star_query(
            lambda item: item == any_(cast(bindparam("ids", type_=String), ARRAY(Integer)))
        ),
        lambda ids: "{" + ",".join(map(str, map(int, ids))) + "}",
    ),
    "sqlite": (_star_query(lambda item: item.in_(bindparam("ids", expanding=True))), list),
}


def star_summary(item_ids: list[int], user_id: int | None) -> tuple[set[int], dict[int, int]]:
    """Which of the published items ``item_ids`` the user starred, and how many people starred
    each (one query)."""
    if not item_ids:
        return set(), {}
    db.session.flush()  # the connection is used directly (less overhead): no autoflush
    connection = db.session.connection()
    statement, as_param = _STARS[connection.dialect.name]
    params = {"ids": as_param(item_ids), "user_id": user_id or -1}
    rows = connection.execute(statement, params).all()
    starred, counts = set(), {}
    for item_id, n, is_mine in rows:
        if n:
            counts[item_id] = n
        if is_mine:
            starred.add(item_id)
    return starred, counts


def rooms_and_tracks(conference: Conference) -> tuple[list[Row], list[Row]]:
    """The conference's tracks (by name) and rooms (in their order), as rows of all their
    columns: read on every programme page, so without the ORM's bookkeeping (``Venues`` makes
    objects of them when a page is rendered)."""
    connection = db.session.connection()
    rooms, tracks = Room.__table__, Track.__table__
    return (
        connection.execute(
            select(tracks).where(tracks.c.conference_id == conference.id).order_by(tracks.c.name)
        ).all(),
        connection.execute(
            select(rooms)
            .where(rooms.c.conference_id == conference.id)
            .order_by(rooms.c.position, rooms.c.name)
        ).all(),
    )
