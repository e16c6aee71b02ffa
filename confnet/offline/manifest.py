"""Web app manifests: one per conference (it opens on that conference's programme) and one for
the rest of the site. View layer: it builds URLs with ``url_for``."""

from flask import url_for

from confnet.models import Conference
from confnet.web_assets import static_url

THEME = "#0b5d66"  # the brand colour of icon.svg and the theme-color meta
BACKGROUND = "#f5f7f8"  # the light page background (static/css/app.css --bg)
SHORT_NAME_MAX = 12  # what a home screen shows under an icon without cutting it


def short_name(name: str) -> str:
    """As many of the name's first words as fit under an icon ("MedConnect Europe 2027":
    "MedConnect"), or its first characters when even the first word is too long."""
    words, short = name.split(), ""
    for word in words:
        candidate = f"{short} {word}".strip()
        if len(candidate) > SHORT_NAME_MAX:
            break
        short = candidate
    return short or name.strip()[:SHORT_NAME_MAX]


def _icons() -> list[dict]:
    icon = lambda name: static_url(f"img/icons/{name}")  # noqa: E731
    return [
        {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": icon("maskable-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "maskable",
        },
        {
            "src": icon("maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]


def _manifest(*, name: str, short: str, description: str, start: str, scope: str) -> dict:
    return {
        "id": start,
        "name": name,
        "short_name": short,
        "description": description,
        "lang": "en",
        "dir": "ltr",
        "start_url": start,
        "scope": scope,
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": _icons(),
    }


def conference_manifest(conference: Conference) -> dict:
    """Installed from a conference's pages, the app opens on its programme and keeps its pages
    (everything under ``/c/<slug>/``) inside the app window."""
    return _manifest(
        name=conference.name,
        short=short_name(conference.name),
        description=conference.tagline or f"The programme of {conference.name} on confnet.",
        start=url_for("schedule.index", slug=conference.slug),
        scope=url_for("conferences.show", slug=conference.slug),
    )


def site_manifest() -> dict:
    return _manifest(
        name="confnet",
        short="confnet",
        description="Your conferences: programme, agenda, workshops, people and notes.",
        start=url_for("home.index"),
        scope=url_for("home.index"),
    )
