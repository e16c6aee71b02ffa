"""Small helpers shared by views (never imported by services)."""

from urllib.parse import urlsplit

from flask import abort, request
from sqlalchemy import bindparam, select

from confnet.extensions import db
from confnet.models import Conference


def client_ip() -> str:
    """The client's address (ProxyFix has already applied X-Forwarded-For in production)."""
    return request.remote_addr or "unknown"


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: no open redirects."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


# Read on every conference page: built once (building a statement costs about as much as
# SQLite takes to run it).
_BY_SLUG = select(Conference).where(Conference.slug == bindparam("slug"))


def get_conference_or_404(slug: str) -> Conference:
    conference = db.session.scalar(_BY_SLUG, {"slug": slug})
    if conference is None:
        abort(404)
    return conference


def takes_json(view):
    """Mark a view that reads a JSON body (other POSTs with JSON answer 415: see security)."""
    view.takes_json = True
    return view
