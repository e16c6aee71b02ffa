"""Jinja filters and globals: time formatting, the permission predicates, URLs for lists."""

import re
from collections.abc import Callable

from flask import Flask, has_request_context, request, url_for
from markupsafe import Markup, escape

from confnet import permissions, timefmt

_BLANK_LINE = re.compile(r"\r?\n\s*\r?\n")
_URL = re.compile(r"https?://[^\s<>\"']+")


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines (any line-ending style)."""
    return [p.strip() for p in _BLANK_LINE.split(text or "") if p.strip()]


def linkify(text: str) -> Markup:
    """Escape ``text`` and make its http(s) URLs clickable."""
    escaped = str(escape(text))
    linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return Markup(linked)  # noqa: S704 (built from escaped text only)


_MARK = 2**31 - 1  # an id nothing has (ids are 32-bit integers), replaced in the built URL


def id_url(endpoint: str, name: str, build: Callable = url_for, **values) -> Callable[[int], str]:
    """``build(endpoint, **{name: id}, **values)`` (``url_for`` by default) as a function of
    the id: one ``url_for`` for a whole list of links that differ only in an id (``url_for``
    costs as much as rendering the rest of a row)."""
    before, _, after = build(endpoint, **values, **{name: _MARK}).rpartition(str(_MARK))
    return lambda id_: f"{before}{int(id_)}{after}"


URLS = "confnet_urls"  # app.extensions: this app's KeptUrls
URLS_KEPT = 20_000  # per worker: a URL and its key take a few hundred bytes
# Values that make a key: an object's hash is its identity, which a new object may reuse, and
# True == 1 (so a bool is left out: ``edit=True`` and ``edit=1`` make different URLs).
_PLAIN = frozenset({str, int, type(None)})
# Longer strings come from the request (a search, ``next=request.full_path``): were they kept,
# any client could fill a worker's memory with them.
_LONGEST = 100


class KeptUrls:
    """``url_for`` for templates, each URL built once per worker (a page asks for 20 to 40,
    and building one costs as much as rendering a row). A URL relative to the site depends
    only on the endpoint, its values and the request's script root (and, for an endpoint
    named from the current blueprint, ``.show``, on that blueprint). External URLs (host and
    scheme), values other than strings, integers and None, strings longer than ``_LONGEST``
    and URLs built outside a request are built every time. When full, it starts over."""

    def __init__(self, size: int = URLS_KEPT) -> None:
        self.size = size
        self.urls: dict[tuple, str] = {}

    def __call__(self, endpoint: str, **values) -> str:
        if (
            not has_request_context()  # a mail rendered by a command: built from SERVER_NAME
            or not all(_plain(value) for value in values.values())
            or any(name.startswith("_") and name != "_anchor" for name in values)
        ):
            return url_for(endpoint, **values)
        blueprint = request.blueprint if endpoint.startswith(".") else None
        key = (request.script_root, blueprint, endpoint, *sorted(values.items()))
        found = self.urls.get(key)
        if found is not None:
            return found
        if len(self.urls) >= self.size:
            self.urls.clear()
        url = self.urls[key] = url_for(endpoint, **values)
        return url


def _plain(value) -> bool:
    kind = type(value)
    return kind in _PLAIN and (kind is not str or len(value) <= _LONGEST)


def register(app: Flask) -> None:
    # Static files: ``static_url`` (confnet.web_assets) gives content-hashed names.
    app.jinja_env.filters.update(
        localtime=timefmt.format_time,
        day=timefmt.format_day,
        tzabbr=timefmt.tz_abbreviation,
        paragraphs=paragraphs,
        linkify=linkify,
    )
    app.jinja_env.globals.update(
        permissions.PREDICATES,
        date_range=timefmt.format_date_range,
        id_url=id_url,
        url_for=app.extensions.setdefault(URLS, KeptUrls()),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
