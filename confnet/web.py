"""Small helpers shared by views (never imported by services)."""

from urllib.parse import urlsplit

from flask import abort, has_request_context, request
from flask_login import current_user
from sqlalchemy import and_, bindparam, select

from confnet import permissions
from confnet.extensions import db
from confnet.models import Conference, Membership


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
# SQLite takes to run it). A logged-in visitor's membership comes in the same query.
_BY_SLUG = select(Conference).where(Conference.slug == bindparam("slug"))
_WITH_MEMBERSHIP = (
    select(Conference, Membership)
    .outerjoin(
        Membership,
        and_(Membership.conference_id == Conference.id, Membership.user_id == bindparam("user")),
    )
    .where(Conference.slug == bindparam("slug"))
)


def get_conference_or_404(slug: str) -> Conference:
    """The conference at ``slug`` (404 if none). For a logged-in visitor, their membership is
    read in the same query and remembered for the permission checks of this request."""
    if has_request_context() and current_user.is_authenticated:
        params = {"slug": slug, "user": current_user.id}
        row = db.session.execute(_WITH_MEMBERSHIP, params).first()
        if row is None:
            abort(404)
        permissions.remember_membership(current_user, row[0], row[1])
        return row[0]
    conference = db.session.scalar(_BY_SLUG, {"slug": slug})
    if conference is None:
        abort(404)
    return conference


def takes_json(view):
    """Mark a view that reads a JSON body (other POSTs with JSON answer 415: see security)."""
    view.takes_json = True
    return view
