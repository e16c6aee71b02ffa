"""Version stamps: answering "has this feed changed?" without building it.

A stamp is a digest of a few narrow query results: every input of a feed that can change (the
published items' ``updated_at``, which every release touching an item moves, and the things that
are live without a release: rooms, tracks, links, the conference's details, a person's stars,
seats and settings), plus whether each conference is over (cancelled sessions leave feeds then),
the site's address (it is in every URL) and ``FEED_FORMAT``. Equal stamps mean equal bytes, so
the stamp is a strong ETag.
"""

import hashlib
from datetime import datetime

from sqlalchemy import bindparam, func, select

from confnet.extensions import db
from confnet.feeds.events import is_over
from confnet.models import Conference, ItemLink, PublishedItem, Release, Room, Track

# Raise whenever the calendar output changes, so that every client fetches the new one.
FEED_FORMAT = 1


def digest(parts) -> str:
    """A short, stable digest of nested tuples of plain values (ints, strings, dates, enums)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


# Built once with the conference as a parameter (stamps are asked for on every feed request).
_CID = bindparam("cid")
_RELEASE = select(func.max(Release.number)).where(Release.conference_id == _CID)
_ROOMS = select(Room.id, Room.name, Room.notes).where(Room.conference_id == _CID).order_by(Room.id)
_TRACKS = select(Track.id, Track.name).where(Track.conference_id == _CID).order_by(Track.id)
_PUBLISHED = select(PublishedItem.item_id).where(PublishedItem.conference_id == _CID)
_LINKS = (
    select(ItemLink.item_id, ItemLink.id, ItemLink.position, ItemLink.label, ItemLink.url)
    .where(ItemLink.item_id.in_(_PUBLISHED))
    .order_by(ItemLink.id)
)


def conference_stamp(conference: Conference, site: str, now: datetime) -> str:
    """The version of a conference's public feeds (all sessions, per track, per session): the
    latest release number and the live state, in four small queries."""
    cid = {"cid": conference.id}
    release = db.session.scalar(_RELEASE, cid)
    # Plain tuples: a Row's repr is ten times slower than a tuple's.
    rooms, tracks, links = (
        tuple(map(tuple, db.session.execute(query, cid))) for query in (_ROOMS, _TRACKS, _LINKS)
    )
    c = conference
    details = (c.slug, c.name, c.venue, c.city, c.timezone, c.starts_on, c.ends_on)
    state = (release, rooms, tracks, links, details, is_over(c, now))
    return digest((FEED_FORMAT, site, conference.id, state))
