"""Calendar feeds over HTTP: the secret personal feed ``/feeds/<token>.ics``, the public
``/c/<slug>/schedule.ics``, ``/c/<slug>/tracks/<id>.ics`` and ``/c/<slug>/sessions/<id>.ics``;
the calendar page ``/account/calendar`` lives in ``settings_views``.

Every feed answers conditional requests (If-None-Match, If-Modified-Since) with a 304 decided
from the version stamp alone, before anything is rendered. Feeds accept GET and HEAD only.
"""

from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user
from werkzeug.http import is_resource_modified

from confnet import permissions
from confnet.database import utcnow, write_intent
from confnet.extensions import db
from confnet.feeds import public, services
from confnet.feeds.events import FeedLinks
from confnet.feeds.stamps import conference_feed_state
from confnet.feeds.urls import feed_links
from confnet.models import Conference, ConferenceFeedVersion, Track
from confnet.schedule.services import find_published
from confnet.web import get_conference_or_404

bp = Blueprint("feeds", __name__)

CALENDAR = "text/calendar; charset=utf-8"
# Personal feeds: only the subscriber's own client may keep a copy, and it asks every time
# (a 304 costs one small query).
PRIVATE_CACHE = "private, no-cache"
PUBLIC_CACHE = "public, max-age=300"
FEED_ONLY = {"methods": ["GET"], "provide_automatic_options": False}


def feed_secret() -> str:
    return current_app.config.get("CALENDAR_FEED_SECRET") or current_app.config["SECRET_KEY"]


def _recorded(record: Callable[[], datetime]) -> datetime:
    """Run ``record`` in a write transaction of its own: the read transaction ends first, so
    that on SQLite the write starts with BEGIN IMMEDIATE instead of upgrading a read lock."""
    db.session.rollback()
    with write_intent():
        moment = record()
        db.session.commit()
    return moment


def _calendar_response(
    etag: str,
    since: datetime | None,
    render: Callable[[], bytes],
    record: Callable[[], datetime] | None,
    cache_control: str,
    filename: str | None = None,
) -> Response:
    """200 with the calendar, or 304 without building it. ``since`` is when this version was
    first served; ``record`` (when there is something to note, else None) notes it now and
    returns since when."""
    modified = is_resource_modified(request.environ, etag=etag, last_modified=since)
    body = render() if modified else None
    if record is not None:
        since = _recorded(record)
    if modified:
        response = Response(body, content_type=CALENDAR)
        if filename:
            response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    else:
        response = Response(status=304)  # Werkzeug strips its entity headers
    return _validated(response, etag, since, cache_control)


def _validated(response: Response, etag: str, since: datetime, cache_control: str) -> Response:
    response.set_etag(etag)
    response.last_modified = since
    response.headers["Cache-Control"] = cache_control
    return response


def _personal_from_key(token: str, now: datetime) -> Response | None:
    """The answer decided from the feed's key alone, by one small statement outside the
    request's transaction: 304 when the poll's copy is current, else the calendar of the
    current version when this process keeps it. None when the feed must be read in full (its
    key moved since its version was recorded, or its calendar isn't kept here)."""
    state = services.peek_feed(token, feed_secret(), feed_links(), now)
    if state is None:
        abort(404)
    if state.current is None:
        return None
    etag, since = f"p{state.current}", state.version_at
    if not is_resource_modified(request.environ, etag=etag, last_modified=since):
        return _validated(Response(status=304), etag, since, PRIVATE_CACHE)
    body = services.kept_calendar(state.current)
    if body is None:
        return None
    return _validated(Response(body, content_type=CALENDAR), etag, since, PRIVATE_CACHE)


@bp.route("/feeds/<token>.ics", **FEED_ONLY)
def personal(token: str):
    """The attendee's own feed. Unknown, revoked and malformed tokens are all the same 404.
    Calendar apps poll all day and most polls find the feed unchanged: those are answered
    from the feed's key alone (``_personal_from_key``), with or without validators."""
    now = utcnow()
    response = _personal_from_key(token, now)
    if response is None:
        response = _personal_in_full(token, now)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _personal_in_full(token: str, now: datetime) -> Response:
    current = services.open_feed(token, feed_secret(), feed_links(), now)
    if current is None:
        abort(404)
    feed = current.feed
    since = feed.version_at if feed.version == feed.current else None
    record = None
    if since is None or feed.version_key != feed.key:

        def record() -> datetime:
            return services.record_feed_version(feed, now)

    return _calendar_response(f"p{feed.current}", since, current.render, record, PRIVATE_CACHE)


Build = Callable[[str, FeedLinks, datetime], bytes]  # (version, links, now) -> calendar


def _public(conference: Conference, part: str, filename: str, build: Build) -> Response:
    """One of a conference's public calendars; ``part`` tells its ETag from the others'. They
    share the conference's version stamp and its Last-Modified."""
    if not permissions.can_view_programme(current_user, conference):
        abort(403)
    now, links = utcnow(), feed_links()
    version, seen = conference_feed_state(conference, links.site, now)
    since = seen[1] if seen[0] == version else None
    key = {"conference_id": conference.id}
    record = None
    if since is None:

        def record() -> datetime:
            return services.record_version(ConferenceFeedVersion, key, seen, version, now)

    def render() -> bytes:
        return build(version, links, now)

    etag = f"c{conference.id}-{part}{version}"
    response = _calendar_response(etag, since, render, record, PUBLIC_CACHE, filename)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/c/<slug>/schedule.ics", **FEED_ONLY)
def conference_feed(slug: str):
    """Every published session of the conference."""
    conference = get_conference_or_404(slug)

    def build(version: str, links: FeedLinks, now: datetime) -> bytes:
        return public.conference_calendar(conference, None, version, links, now)

    return _public(conference, "", f"{slug}.ics", build)


@bp.route("/c/<slug>/tracks/<int:track_id>.ics", **FEED_ONLY)
def track_feed(slug: str, track_id: int):
    conference = get_conference_or_404(slug)
    track = db.session.get(Track, track_id)
    if track is None or track.conference_id != conference.id:
        abort(404)

    def build(version: str, links: FeedLinks, now: datetime) -> bytes:
        return public.conference_calendar(conference, track, version, links, now)

    return _public(conference, f"t{track.id}-", f"{slug}-track-{track.id}.ics", build)


@bp.route("/c/<slug>/sessions/<int:item_id>.ics", **FEED_ONLY)
def session_event(slug: str, item_id: int):
    """One session, to add to a calendar: the same event (UID) as in the feeds."""
    conference = get_conference_or_404(slug)
    item = find_published(conference, item_id)
    if item is None:
        abort(404)

    def build(_version: str, links: FeedLinks, _now: datetime) -> bytes:
        return public.session_calendar(conference, item, links)

    return _public(conference, f"s{item.item_id}-", f"session-{item.item_id}.ics", build)


# The calendar page registers on ``bp`` when imported (after it exists).
from confnet.feeds import settings_views  # noqa: E402, F401
