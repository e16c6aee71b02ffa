"""Small helpers shared by views (never imported by services)."""

from urllib.parse import urlsplit

from flask import abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import and_, bindparam, select

from confnet import permissions
from confnet.auth.services import load_user_from_cookie_id
from confnet.extensions import db
from confnet.models import Conference, Membership, User


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
# SQLite takes to run it). A logged-in visitor's account and membership come in the same query.
_BY_SLUG = select(Conference).where(Conference.slug == bindparam("slug"))
_WITH_VISITOR = (
    select(Conference, Membership, User)
    .outerjoin(
        Membership,
        and_(Membership.conference_id == Conference.id, Membership.user_id == bindparam("user")),
    )
    .outerjoin(User, User.id == bindparam("user"))
    .where(Conference.slug == bindparam("slug"))
)


def _visit(slug: str, user_id: int):
    """The row (conference, membership, account) for ``slug`` and ``user_id``, or None when
    there is no such conference; the loader's read is taken over by the first
    ``get_conference_or_404`` of the request, later ones read again."""
    key = (slug, user_id)
    kept = g.pop("_confnet_visit", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    return db.session.execute(_WITH_VISITOR, {"slug": slug, "user": user_id}).first()


def load_visitor(cookie_id: str) -> User | None:
    """Flask-Login's loader (``cookie_id`` is ``"<id>:<nonce>"``). On a conference's pages, the
    account is read with the conference and the membership (``get_conference_or_404`` takes
    that row over), then checked as ``auth.services.load_user_from_cookie_id`` does, from the
    session's identity map."""
    slug = (request.view_args or {}).get("slug")
    user_id = cookie_id.partition(":")[0]
    if isinstance(slug, str) and user_id.isdigit():
        key = (slug, int(user_id))
        g._confnet_visit = key, _visit(*key)
    return load_user_from_cookie_id(cookie_id)


def get_conference_or_404(slug: str) -> Conference:
    """The conference at ``slug`` (404 if none). For a signed-in visitor, their membership is
    read in the same query as the conference and their account (see ``load_visitor``), and
    remembered for the permission checks of this request."""
    if not (has_request_context() and current_user.is_authenticated):
        conference = db.session.scalar(_BY_SLUG, {"slug": slug})
        if conference is None:
            abort(404)
        return conference
    row = _visit(slug, current_user.id)
    if row is None:
        abort(404)
    permissions.remember_membership(current_user, row[0], row[1])
    return row[0]


def takes_json(view):
    """Mark a view that reads a JSON body (other POSTs with JSON answer 415: see security)."""
    view.takes_json = True
    return view
