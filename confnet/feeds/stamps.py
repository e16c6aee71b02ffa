"""Version stamps: answering "has this feed changed?" without building it.

A stamp is a digest of a few narrow query results: every input of a feed that can change (the
published items' ``updated_at``, which every release touching an item moves, and the things that
are live without a release: the conference's details, a person's stars, seats and settings, and
for the public feeds the programme stamp that triggers renew with any change to rooms, tracks,
speakers and links), plus whether each conference is over (cancelled sessions leave feeds then),
the site's address (it is in every URL) and ``FEED_FORMAT``. Different bytes always come with a
different stamp, so the stamp is a strong ETag (a change that leaves the bytes as they were, a
speaker's bio, may still move it)"""

import hashlib
from datetime import datetime

from sqlalchemy import bindparam, select

from confnet.extensions import db
from confnet.feeds.events import is_over
from confnet.models import Conference, ConferenceFeedVersion
from confnet.releases.state import programme_state

# Raise whenever the calendar output changes, so that every client fetches the new one.
FEED_FORMAT = 1


def digest(parts) -> str:
    """A short, stable digest of nested tuples of plain values (ints, strings, dates, enums)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


# Built once with the conference as a parameter (stamps are asked for on every feed request).
_CID = bindparam("cid")
_CONFERENCE_STATE = select(
    *programme_state(_CID),  # the latest release; rooms, tracks and links (and speakers)
    # What the feeds last were, and since when (ConferenceFeedVersion; NULL: never served).
    *(
        select(column).where(ConferenceFeedVersion.conference_id == _CID).scalar_subquery()
        for column in (ConferenceFeedVersion.version, ConferenceFeedVersion.version_at)
    ),
)


def conference_stamp(conference: Conference, site: str, now: datetime) -> str:
    """The version of a conference's public feeds (all sessions, per track, per session): the
    latest release number and the programme stamp (rooms, tracks, links), in one query."""
    return conference_feed_state(conference, site, now)[0]


def conference_feed_state(
    conference: Conference, site: str, now: datetime
) -> tuple[str, tuple[str, datetime | None]]:
    """``conference_stamp`` and, in the same query, the (version, version_at) the feeds were
    last recorded with (``("", None)``: never)."""
    db.session.flush()  # the connection is used directly (less overhead): no autoflush
    state = db.session.connection().execute(_CONFERENCE_STATE, {"cid": conference.id}).one()
    release, live, seen_version, seen_at = state
    seen = (seen_version or "", seen_at)
    c = conference
    details = (c.slug, c.name, c.venue, c.city, c.timezone, c.starts_on, c.ends_on)
    state = (release, live, details, is_over(c, now))
    return digest((FEED_FORMAT, site, conference.id, state)), seen
