"""Absolute URLs for feeds and the subscribe buttons (built with ``url_for``: views only)."""

import io
from dataclasses import dataclass
from urllib.parse import quote

import segno
from flask import current_app, url_for
from markupsafe import Markup

from confnet.feeds.events import FeedLinks

GOOGLE = "https://calendar.google.com/calendar/r?cid="
OUTLOOK = "https://outlook.live.com/calendar/0/addfromweb?url="
OUTLOOK_WORK = "https://outlook.office.com/calendar/0/addfromweb?url="


_MARK = 2**31 - 1  # an id no session has, replaced in the built URL


def _per_session(endpoint: str):
    """``(slug, item_id) -> absolute URL`` for ``endpoint``, with one ``url_for`` per conference
    rather than per session (a conference has a thousand); None if no such endpoint exists."""
    if endpoint not in current_app.view_functions:
        return None
    patterns: dict[str, str] = {}

    def build(slug: str, item_id: int) -> str:
        if slug not in patterns:
            example = url_for(endpoint, slug=slug, item_id=_MARK, _external=True)
            patterns[slug] = example.replace(str(_MARK), "{}")
        return patterns[slug].format(item_id)

    return build


def feed_links() -> FeedLinks:
    return FeedLinks(
        site=url_for("home.index", _external=True),
        session_url=_per_session("schedule.show"),
        notes_url=_per_session("notes.show"),
    )


def webcal(url: str) -> str:
    """The same address for calendar apps: ``webcal://`` makes phones offer to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


@dataclass(frozen=True)
class Subscribe:
    """Where each calendar app subscribes to a feed."""

    url: str  # https (or http in development)
    webcal: str
    google: str
    outlook: str
    outlook_work: str


def subscribe_links(url: str, name: str) -> Subscribe:
    named = f"&name={quote(name, safe='')}"
    return Subscribe(
        url=url,
        webcal=webcal(url),
        google=GOOGLE + quote(webcal(url), safe=""),
        outlook=OUTLOOK + quote(url, safe="") + named,
        outlook_work=OUTLOOK_WORK + quote(url, safe="") + named,
    )


def qr_svg(text: str, label: str) -> Markup:
    """``text`` as an inline SVG QR code (no style attributes: the CSP forbids them). Dark on
    white in both colour schemes, with a quiet zone, as scanners need."""
    code = segno.make(text, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=3,
        dark="#000",
        light="#fff",
        svgclass="qr",
        lineclass=None,
        title=label,
    )
    svg = out.getvalue().decode()
    return Markup(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S704
