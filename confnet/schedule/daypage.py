"""The programme's day page at conference scale: rendered once per version, filled per viewer.

A day of a large conference lists hundreds of sessions, and rendering them costs tens of
milliseconds. Yet what the day looks like (its sessions for the filters and timezone asked
for, the day tabs, the search form) is the same for everyone until something it shows changes;
only the star buttons and counts, the CSRF token and "now and next" (which moves with the clock)
differ per request. So each worker keeps the rendered day (``fragments``), keyed by:

- the programme's version: the conference's row and the programme's state
  (``confnet.releases.state``: the latest release number, as published items only ever change
  with a release, and the programme stamp, renewed by triggers whenever rooms, tracks, speakers
  or links change), one small query, whose answer the worker keeps until releases or stamps
  change (``confnet.watch``). The rooms, tracks, latest release, tags and timeline themselves
  are kept per state, and read again only when it moves;
- the page's own inputs: day, timezone, the filter form's data, the URL root.

Any change to any of them (a publish, a renamed room, a new colour) makes a new key in every
worker at once; entries of old versions are never found again and age out of the LRU, which is
bounded in bytes. "Now and next" is cached apart, keyed by the version and the ids it lists
(worked out per request from a timeline kept per release), and stars are read per request.
This module renders templates: it belongs to the views, not to the services.
"""

import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from flask import render_template, request
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select

from confnet.extensions import db
from confnet.models import Conference
from confnet.pagecache import digest, page_cache, row_version
from confnet.releases.state import programme_state
from confnet.schedule import listing, live
from confnet.schedule.days import is_running, tz_arg
from confnet.schedule.forms import FilterForm
from confnet.schedule.fragments import Fragment
from confnet.schedule.listing import Filters, Venues
from confnet.watch import keep


@dataclass(frozen=True)
class Programme:
    """What one request read of a conference's programme, and the version it makes."""

    conference: Conference
    tracks: list[Row]  # all columns, by name
    rooms: list[Row]  # all columns, in their order
    release: tuple[int, int, datetime] | None
    version: str
    tags: list[str]
    timeline: list[tuple[datetime, datetime, int]]

    @property
    def venues(self) -> Venues:
        return Venues.from_rows(self.rooms, self.tracks)


# One row: (latest release number or None, programme stamp). Built once.
_STATE = select(*programme_state(bindparam("conference_id")))
STATE_TABLES = ("releases", "programme_stamps")  # what it reads


def _state(conn, conference_id: int) -> tuple:
    return tuple(conn.execute(_STATE, {"conference_id": conference_id}).one())


def read_programme(conference: Conference) -> Programme:
    """The conference's programme: its rooms, tracks, latest release, tags and "now and next"
    timeline as this worker keeps them for the programme's state. No query while the worker
    keeps the state, else one; five more when it moved (read after it: what they find is at
    least as new as the version)."""
    conn = db.session.connection()
    read = partial(_state, conn, conference.id)
    state = keep(("programme state", conference.id), STATE_TABLES, read, conn)
    key = ("programme", conference.id, conference.created_at, state)
    kept = page_cache().get(key)
    if kept is None:
        tracks, rooms = live.rooms_and_tracks(conference)
        release = live.release_stamp(conference)
        tags, timeline = listing.published_outline(conference)
        kept = (tracks, rooms, release, tags, timeline)
        if state[1] is not None:  # without a stamp, changes to rooms would go unseen
            size = 200 * (len(tracks) + len(rooms) + len(tags) + len(timeline))
            page_cache().put(key, kept, size)
    tracks, rooms, release, tags, timeline = kept
    parts = (request.script_root, row_version(conference), state)
    if state[1] is None:  # no stamp: the rooms and tracks themselves name their version
        parts += (tuple(map(tuple, rooms)), tuple(map(tuple, tracks)))
    version = digest(parts)
    return Programme(conference, tracks, rooms, release, version, tags, timeline)


@dataclass(frozen=True)
class DayPage:
    top: Markup  # track colours, day tabs, search and filters, chips
    body: Markup  # "now and next" and the day's sessions (inside the star form)


def day_page(
    programme: Programme,
    form: FilterForm,
    filters: Filters,
    *,
    day: date,
    tz: ZoneInfo,
    now: datetime,
    user_id: int | None,
    can_star: bool,
) -> DayPage:
    """The day as ``user_id`` sees it: cached parts, their star slots filled (one query for
    the stars when ``can_star``)."""
    state = tuple((name, form[name].data) for name in ("q", "track", "kind", "room", "tag"))
    key = ("day", programme.version, day, tz.key, state)
    cached = page_cache().get(key)
    if cached is None:
        cached = _render_day(programme, form, filters, day, tz)
        page_cache().put(key, cached, sys.getsizeof(cached[0]) + cached[1].size)
    top, body = cached
    nownext = None
    if "nownext" in body.slots and is_running(programme.conference, now):
        nownext = _nownext(programme, day, tz, now)
    shown = body.item_ids + (nownext.item_ids if nownext else [])
    starred, counts = live.star_summary(shown, user_id) if can_star else (set(), {})
    fill = dict(stars=can_star, starred=starred, counts=counts)
    slots = {"nownext": nownext.fill(**fill)} if nownext else {}
    return DayPage(top=Markup(top), body=body.fill(**fill, slots=slots))  # noqa: S704


def _render_day(
    programme: Programme, form: FilterForm, filters: Filters, day: date, tz: ZoneInfo
) -> tuple[str, Fragment]:
    """The day's shared HTML: its top as a string, and its body cut at its slots."""
    conference, venues = programme.conference, programme.venues
    view = listing.load_day(conference, day, filters, release=programme.release, venues=venues)
    html = render_template(
        "schedule/_day.html",
        conference=conference,
        view=view,
        form=form,
        filters=filters,
        tracks=venues.tracks,
        rooms=venues.rooms,
        tz=tz,
        tz_arg=tz_arg(conference, tz),
    )
    top, _, body = html.partition("<?split?>")
    return top, Fragment.parse(body)


def _nownext(programme: Programme, day: date, tz: ZoneInfo, now: datetime) -> Fragment | None:
    """The "now and next" block at ``now``, or None when nothing is left to come."""
    running, upcoming = listing.split_now(programme.timeline, now)
    if not running and not upcoming:
        return None
    key = ("now", programme.version, day, tz.key, tuple(running), tuple(upcoming))
    fragment = page_cache().get(key)
    if fragment is None:
        conference = programme.conference
        found = listing.items_by_id(conference, running + upcoming, programme.venues)
        html = render_template(
            "schedule/_nownext.html",
            conference=conference,
            running=[found[i] for i in running if i in found],
            upcoming=[found[i] for i in upcoming if i in found],
            badges=live.release_badges(programme.release, list(found)),
            day=day,
            tz=tz,
            tz_arg=tz_arg(conference, tz),
        )
        fragment = Fragment.parse(html)
        page_cache().put(key, fragment, fragment.size)
    return fragment
