"""The session page's shared parts: rendered once per version, around each viewer's own.

Most of a session page (the title, when and where, speakers, abstract, topics, links and what
changed) is the same for everyone until the programme changes; only the star button, the
sign-up and notes boxes and the navigation depend on who looks. So the shared parts are kept
in the worker's page cache (``confnet.pagecache``), keyed by:

- the programme's state, read with the item in one query (``services.find_session``): the
  latest release number (the item and its release history change only with a release) and the
  programme stamp (renewed by triggers on any change of links, speakers, rooms or tracks);
- the conference's row (its timezone, slug and name), the item, the timezone asked for and the
  URL root.

A key is never found again once anything in it changes; old entries age out of the LRU.
This module renders templates: it belongs to the views, not to the services.
"""

import sys
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import render_template, request
from markupsafe import Markup

from confnet.models import Conference, PublishedItem
from confnet.pagecache import page_cache, row_version
from confnet.schedule.details import session_details

SPLIT = "<?split?>"  # escaped text and attributes never hold a "<"


@dataclass(frozen=True)
class SessionParts:
    head: Markup  # the article's opening, kind and track, title, "cancelled"
    facts: Markup  # when, where, places
    tail: Markup  # speakers, abstract, topics, links, what changed; the article's end


def shared_parts(
    conference: Conference, item: PublishedItem, state: tuple, tz: ZoneInfo, tz_arg: str | None
) -> SessionParts:
    """The shared parts of ``item``'s page (``state``: from ``services.find_session``);
    rendered, with one more query, only when this version is not cached yet."""
    key = ("session", request.script_root, row_version(conference), item.item_id, state)
    key += (tz.key, tz_arg)
    parts = page_cache().get(key)
    if parts is None:
        html = render_template(
            "schedule/_session.html",
            conference=conference,
            item=item,
            details=session_details(conference, item),
            tz=tz,
            tz_arg=tz_arg,
        )
        parts = tuple(html.split(SPLIT))
        page_cache().put(key, parts, sum(map(sys.getsizeof, parts)))
    return SessionParts(*map(Markup, parts))
