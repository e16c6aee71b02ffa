"""Personal calendar feeds: turning one on, its secret URL, reminders, and finding it by token.

The token in a feed URL is ``HMAC-SHA256(secret, salt)`` (URL-safe base64, 43 characters, 256
bits) where ``salt`` is 32 random bytes kept per feed and ``secret`` is the site's feed secret
(``CALENDAR_FEED_SECRET``, else ``SECRET_KEY``). The database keeps the salt and the token's
SHA-256, never the token: whoever copies the database still can't open anyone's feed, while the
owner can always see their URL again (it is recomputed). Look-ups go by the hash, so an index
lookup compares hashes, not token prefixes, and the final check is ``hmac.compare_digest``.
Changing the secret changes every URL (the page then offers a new one).

Services flush; the caller commits.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.feeds.events import FeedLinks
from confnet.feeds.ics import CalendarMeta, Memo, render_calendar
from confnet.feeds.sources import SOURCES, EventSource
from confnet.feeds.versions import FeedState, open_feed_state, peek_feed_state
from confnet.models import CalendarFeed, User
from confnet.models.feeds import REMINDER_CHOICES

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
_CONTEXT = b"confnet calendar feed token v1\x00"
PERSONAL = CalendarMeta(
    name="My conferences · confnet",
    description=(
        "Sessions you starred, your workshop places, the sessions you speak in and your meetings."
    ),
    refresh=timedelta(minutes=30),
)
# Personal calendars by version (the version covers everything in them, the owner included),
# so a client polling an unchanged feed without a validator costs no rendering.
BODY_CACHE_SIZE = 256
_bodies = Memo(BODY_CACHE_SIZE)


class FeedError(DomainError):
    pass


def make_token(salt: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), _CONTEXT + bytes.fromhex(salt), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _new_secret(feed: CalendarFeed, secret: str, now: datetime) -> None:
    feed.salt = secrets.token_hex(32)
    feed.token_hash = hash_token(make_token(feed.salt, secret))
    feed.token_created_at = now


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).filter_by(user_id=user.id))


def turn_on_feed(user: User, *, secret: str, now: datetime) -> CalendarFeed:
    """The user's feed, created if they have none (twice at once still makes one)."""
    existing = feed_of(user)
    if existing is not None:
        return existing
    feed = CalendarFeed(user_id=user.id, created_at=now, version_at=now)
    _new_secret(feed, secret, now)
    try:
        with db.session.begin_nested():
            db.session.add(feed)
    except IntegrityError:  # a double tap created it first
        return feed_of(user)
    return feed


def regenerate_token(feed: CalendarFeed, *, secret: str, now: datetime) -> None:
    """A new secret URL; the old one answers 404 from the moment this commits."""
    _new_secret(feed, secret, now)
    db.session.flush()


def set_reminder(feed: CalendarFeed, minutes: int | None) -> None:
    if minutes is not None and minutes not in REMINDER_CHOICES:
        raise FeedError("Choose one of the reminder times offered.")
    feed.reminder_minutes = minutes
    db.session.flush()


def turn_off_feed(feed: CalendarFeed) -> None:
    """Delete the feed: its URL stops working; turning it on again gives a new URL."""
    db.session.delete(feed)
    db.session.flush()


def token_of(feed: CalendarFeed, secret: str) -> str | None:
    """The feed's token, or None when the secret changed since it was made (then the stored
    hash no longer matches and the feed needs a new URL)."""
    token = make_token(feed.salt, secret)
    return token if hmac.compare_digest(hash_token(token), feed.token_hash) else None


def _opens(salt: str | None, token: str, secret: str) -> bool:
    """Whether ``token`` is the one made from ``salt`` (None: no feed has its hash). Every
    wrong token takes the same path (the look-up by hash was done), then a constant-time
    comparison."""
    expected = make_token(salt, secret) if salt is not None else "-" * 43
    valid = hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))
    return valid and TOKEN_PATTERN.fullmatch(token) is not None


def _site(links: FeedLinks) -> tuple:
    """What of the site's address shows in a personal feed (part of its version)."""
    return (links.site, links.notes_url is not None)


def open_feed(token: str, secret: str, links: FeedLinks, now: datetime) -> "PersonalFeed | None":
    """The feed ``token`` opens with its version now (one query), or None."""
    state = open_feed_state(hash_token(token[:100]), _site(links), now)
    if not _opens(state.salt if state else None, token, secret):
        return None
    sources = [source(state.user_id, now, state.reminder_minutes) for source in SOURCES]
    return PersonalFeed(state, sources, links)


def peek_feed(token: str, secret: str, links: FeedLinks, now: datetime) -> FeedState | None:
    """The state of the feed ``token`` opens (one statement, outside the request's
    transaction: see ``peek_feed_state``), or None; enough to answer a conditional poll of an
    unchanged feed."""
    state = peek_feed_state(hash_token(token[:100]), _site(links), now)
    return state if _opens(state.salt if state else None, token, secret) else None


def kept_calendar(version: str) -> bytes | None:
    """The personal calendar of ``version`` if this process has rendered it, else None."""
    return _bodies.find(version)


@dataclass
class PersonalFeed:
    """A feed as of now: its version and, only when asked, its body."""

    feed: FeedState
    sources: list[EventSource]
    links: FeedLinks

    @property
    def version(self) -> str:
        return self.feed.current

    def render(self) -> bytes:
        return _bodies.get(self.version, self._build)

    def _build(self) -> bytes:
        events = chain.from_iterable(source.events(self.links) for source in self.sources)
        ordered = sorted(events, key=lambda e: (e.starts_at, e.uid))
        return render_calendar(PERSONAL, ordered)


def record_version(model, key: dict, seen: tuple[str, datetime | None], version: str, now, **also):
    """Record that ``model`` row ``key`` (a feed, or a conference's feed state) now shows
    ``version``, and return since when: its Last-Modified. ``seen`` is the (version,
    version_at) read earlier; ``also`` are more columns to set with the version. The time only
    moves forward, by at least a second (HTTP dates have seconds), so a client's
    If-Modified-Since never matches a newer version. When another request recorded it first,
    its time is kept."""
    old_version, old_at = seen
    at = now.replace(microsecond=0)
    if old_at is not None and at <= old_at:
        at = old_at.replace(microsecond=0) + timedelta(seconds=1)
    where = [getattr(model, name) == value for name, value in key.items()]
    if old_at is None:
        try:
            with db.session.begin_nested():
                db.session.add(model(**key, version=version, version_at=at, **also))
            return at
        except IntegrityError:
            pass  # another request created it meanwhile: read what it recorded
    else:
        changed = db.session.execute(
            update(model)
            .where(*where, model.version == old_version)
            .values(version=version, version_at=at, **also)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount == 1:
            return at
    row = db.session.execute(select(model.version, model.version_at).where(*where)).first()
    return row.version_at if row is not None and row.version == version else at


def record_feed_version(feed: FeedState, now: datetime) -> datetime:
    """Record that ``feed`` (as ``open_feed`` read it) now shows its current version, read
    with its current key, and return since when (its Last-Modified)."""
    seen = (feed.version, feed.version_at)
    if feed.version != feed.current:
        key = {"id": feed.id}
        return record_version(CalendarFeed, key, seen, feed.current, now, version_key=feed.key)
    # Same version, newer key: keep the time. A request that recorded another version
    # meanwhile wins (its key goes with its version).
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.id == feed.id, CalendarFeed.version == feed.version)
        .values(version_key=feed.key)
        .execution_options(synchronize_session=False)
    )
    return feed.version_at
