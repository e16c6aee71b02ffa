"""Public calendars of a conference: all published sessions, one track, or one session.

Built calendars are kept in an in-process cache keyed by the conference, the track and the
version stamp (``stamps.conference_stamp``: latest release, live rooms/tracks/links...). A new
release or a renamed room gives a new stamp, so each worker process rebuilds once per change
and never serves a stale calendar; no cross-process invalidation is needed.
"""

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, raiseload

from confnet.extensions import db
from confnet.feeds.events import FeedLinks, is_over, session_event
from confnet.feeds.ics import CalendarMeta, render_calendar
from confnet.models import Conference, ItemLink, PublishedItem, Track
from confnet.timefmt import format_date_range

CACHE_SIZE = 16  # calendars kept per process (a 1,000-session calendar is about 1.5 MB)
REFRESH = timedelta(hours=1)

_cache: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()


def _meta(conference: Conference, track: Track | None) -> CalendarMeta:
    dates = format_date_range(conference.starts_on, conference.ends_on)
    where = f", {conference.venue}" if conference.venue else ""
    about = f"The programme of {conference.name} ({dates}{where})"
    if track is not None:
        return CalendarMeta(f"{conference.name}: {track.name}", f"{about}: {track.name}.", REFRESH)
    return CalendarMeta(conference.name, f"{about}.", REFRESH)


def _items(conference: Conference, track: Track | None, now: datetime) -> list[PublishedItem]:
    query = (
        select(PublishedItem)
        .where(PublishedItem.conference_id == conference.id)
        .options(joinedload(PublishedItem.room), joinedload(PublishedItem.track), raiseload("*"))
        .order_by(PublishedItem.starts_at, PublishedItem.item_id)
    )
    if track is not None:
        query = query.where(PublishedItem.track_id == track.id)
    if is_over(conference, now):
        query = query.where(PublishedItem.cancelled.is_(False))
    return list(db.session.scalars(query).unique())


def _links_of(item_ids) -> dict[int, list]:
    links: dict[int, list] = {}
    rows = db.session.execute(
        select(ItemLink.item_id, ItemLink.label, ItemLink.url)
        .where(ItemLink.item_id.in_(item_ids))
        .order_by(ItemLink.item_id, ItemLink.position, ItemLink.id)
    )
    for row in rows:
        links.setdefault(row.item_id, []).append(row)
    return links


def build_calendar(
    conference: Conference, track: Track | None, links: FeedLinks, now: datetime
) -> bytes:
    """The conference's (or one track's) calendar, built now (three queries)."""
    items = _items(conference, track, now)
    published = select(PublishedItem.item_id).where(PublishedItem.conference_id == conference.id)
    item_links = _links_of(published)
    events = [
        session_event(item, conference, links, item_links.get(item.item_id, [])) for item in items
    ]
    return render_calendar(_meta(conference, track), events)


def conference_calendar(
    conference: Conference, track: Track | None, version: str, links: FeedLinks, now: datetime
) -> bytes:
    """The calendar for ``version`` from this process's cache, built on a miss."""
    key = (conference.id, track.id if track else None, version)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    body = build_calendar(conference, track, links, now)
    with _lock:
        for old in [k for k in _cache if k[:2] == key[:2]]:
            del _cache[old]  # older versions of the same calendar are never asked for again
        _cache[key] = body
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return body


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def session_calendar(conference: Conference, item: PublishedItem, links: FeedLinks) -> bytes:
    """One session as a calendar file ("add to calendar"), with the same UID as in feeds."""
    item_links = _links_of([item.item_id]).get(item.item_id, [])
    event = session_event(item, conference, links, item_links, busy=True)
    return render_calendar(CalendarMeta(), [event])
