"""Absolute URLs for exports, built with ``url_for`` (so only views and the CLI call this).

A session's page is ``schedule.show`` when the schedule area registers that endpoint (with the
conference slug and one more argument, the item id); otherwise ``/c/<slug>/sessions/<id>``.
``site`` (e.g. ``https://confnet.example.org``) replaces the request's scheme and host, for
exports made outside a request.
"""

from collections.abc import Callable

from flask import current_app, url_for
from werkzeug.routing import BuildError

from confnet.interchange.snapshot import ExportLinks
from confnet.models import Conference
from confnet.templating import id_url


def export_links(conference: Conference, fmt: str | None, site: str | None = None) -> ExportLinks:
    def external(endpoint: str, **values) -> str:
        if site:
            return site.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)

    conference_url = external("conferences.show", slug=conference.slug)
    file_url = (
        external("interchange.export_schedule", slug=conference.slug, fmt=fmt)
        if fmt
        else conference_url
    )
    return ExportLinks(
        base_url=external("home.index"),
        conference_url=conference_url,
        file_url=file_url,
        session_url=_session_url_builder(conference, conference_url, external),
    )


def _session_url_builder(conference: Conference, conference_url: str, external) -> Callable:
    try:
        rules = list(current_app.url_map.iter_rules("schedule.show"))
    except KeyError:
        rules = []
    arguments = rules[0].arguments - {"slug"} if rules and "slug" in rules[0].arguments else set()
    fallback = conference_url.rstrip("/") + "/sessions/{}"
    if len(arguments) != 1:
        return fallback.format
    name = arguments.pop()
    # One url_for per export, not one per session (a conference has a thousand).
    try:
        return id_url("schedule.show", name, build=external, slug=conference.slug)
    except BuildError:
        return fallback.format
