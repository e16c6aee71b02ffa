"""What a phone keeps of a conference for offline reading, and which version of it that is.

The phone keeps one copy per conference, viewer and version; a new version (a release, or a live
change to rooms, tracks, links or the conference's details) replaces the whole copy, so offline
pages never mix two releases. The viewer key is derived from the login cookie's id, so "log out
everywhere" (a new nonce) also retires every copy kept for the old sessions.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select

from confnet import permissions
from confnet.extensions import db
from confnet.feeds.stamps import conference_stamp
from confnet.introductions.queries import connections_of
from confnet.models import (
    Conference,
    ItemKind,
    PrivateNote,
    PublishedItem,
    Release,
    Seat,
    Speaker,
    Star,
    User,
)
from confnet.models.programme import item_speakers
from confnet.schedule.days import conference_days

ANONYMOUS = "anon"


def viewer_key(user: User | None, secret: str) -> str:
    """An opaque, stable name for whoever is logged in ("anon" for nobody): what the phone
    keys its saved pages and queued changes by. It changes when the login nonce does."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    message = f"offline-viewer:{user.get_id()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:20]


def conference_version(conference: Conference, site: str, now: datetime) -> str:
    """The version of the conference's pages: its latest release number (readable) and the
    public feeds' stamp (which also moves with rooms, tracks, links and details)."""
    release = db.session.scalar(
        select(func.max(Release.number)).where(Release.conference_id == conference.id)
    )
    return f"r{release or 0}-{conference_stamp(conference, site, now)[:12]}"


@dataclass(frozen=True)
class OfflineCheck:
    """Which copy of ``slug`` a phone should hold now: the viewer's, at this version."""

    slug: str
    version: str
    viewer: str

    @property
    def cache_name(self) -> str:
        """Names the phone's copy: a new version or another viewer means another copy."""
        return f"confnet-pages|{self.slug}|{self.viewer}|{self.version}"


def offline_check(
    conference: Conference, user: User | None, *, site: str, secret: str, now: datetime
) -> OfflineCheck:
    """The copy a phone should hold (a few small queries: asked about once a minute)."""
    return OfflineCheck(
        slug=conference.slug,
        version=conference_version(conference, site, now),
        viewer=viewer_key(user, secret),
    )


@dataclass(frozen=True)
class OfflineContents:
    """What a viewer keeps of a conference: its days, the session pages (every session when
    ``complete``, else the viewer's own: starred, noted, with a seat, spoken in), and for
    members the notes of their starred or noted sessions and their connections' pages (contact
    cards). Ids only: views turn them into URLs."""

    days: list[date]
    sessions: list[int]
    complete: bool
    member: bool = False
    noted: list[int] = field(default_factory=list)
    connections: list[int] = field(default_factory=list)


def _own_sessions(user: User, conference: Conference) -> tuple[set[int], set[int]]:
    """The items ``user`` starred or wrote a private note on (their notes pages are kept),
    and those they have a seat in or speak in."""
    starred = select(Star.item_id).where(Star.user_id == user.id)
    with_note = select(PrivateNote.item_id).where(
        PrivateNote.user_id == user.id,
        PrivateNote.conference_id == conference.id,
        PrivateNote.body != "",
    )
    noted = db.session.scalars(
        select(PublishedItem.item_id).where(
            PublishedItem.conference_id == conference.id,
            PublishedItem.kind != ItemKind.BREAK,
            or_(PublishedItem.item_id.in_(starred), PublishedItem.item_id.in_(with_note)),
        )
    )
    seated = select(Seat.item_id).where(Seat.user_id == user.id)
    speaking = (
        select(item_speakers.c.item_id)
        .join(Speaker, Speaker.id == item_speakers.c.speaker_id)
        .where(Speaker.user_id == user.id, Speaker.conference_id == conference.id)
    )
    involved = db.session.scalars(
        select(PublishedItem.item_id).where(
            PublishedItem.conference_id == conference.id,
            or_(PublishedItem.item_id.in_(seated), PublishedItem.item_id.in_(speaking)),
        )
    )
    return set(noted), set(involved)


def offline_contents(
    conference: Conference, user: User | None, *, all_sessions_max: int
) -> OfflineContents:
    """What ``user`` (None: nobody logged in) keeps of ``conference``: every session page
    while the programme has at most ``all_sessions_max`` sessions, else only their own (a
    phone at a 1,000-session congress keeps the day lists, not 1,000 pages)."""
    sessions = list(
        db.session.scalars(
            select(PublishedItem.item_id)
            .where(PublishedItem.conference_id == conference.id)
            .order_by(PublishedItem.starts_at, PublishedItem.item_id)
        )
    )
    days = conference_days(conference)
    complete = len(sessions) <= all_sessions_max
    if user is None or not permissions.is_member(user, conference):
        return OfflineContents(days=days, sessions=sessions if complete else [], complete=complete)
    noted, involved = _own_sessions(user, conference)
    own = noted | involved
    return OfflineContents(
        days=days,
        sessions=sessions if complete else [i for i in sessions if i in own],
        complete=complete,
        member=True,
        noted=[i for i in sessions if i in noted],
        connections=[entry.intro.id for entry in connections_of(user)],
    )


@dataclass(frozen=True)
class OfflinePlan:
    """The copy a phone should hold, and what goes in it."""

    check: OfflineCheck
    contents: OfflineContents


def offline_plan(
    conference: Conference,
    user: User | None,
    *,
    site: str,
    secret: str,
    now: datetime,
    all_sessions_max: int,
) -> OfflinePlan:
    """Everything the service worker needs to fill a copy of ``conference`` for ``user``."""
    return OfflinePlan(
        check=offline_check(conference, user, site=site, secret=secret, now=now),
        contents=offline_contents(conference, user, all_sessions_max=all_sessions_max),
    )
