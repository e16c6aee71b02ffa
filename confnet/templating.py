"""Jinja filters and globals: time formatting and the permission predicates."""

import re

from flask import Flask
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
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
