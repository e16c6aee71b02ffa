"""Who may do what: named predicates, used by views and templates alike.

Every predicate takes the acting user (possibly anonymous) and the object, and answers a bool.
Membership look-ups are memoised per request so that templates can ask freely.
"""

from flask import g, has_request_context
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import Conference, Membership, Role


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def membership_of(user, conference: Conference) -> Membership | None:
    """The user's membership in ``conference``, or None (anonymous users have none)."""
    if not _authenticated(user):
        return None
    key = (user.id, conference.id)
    cache = g.setdefault("_memberships", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Membership).filter_by(user_id=user.id, conference_id=conference.id)
        )
    return cache[key]


def forget_memberships() -> None:
    """Drop the per-request memo after a membership changed."""
    if has_request_context():
        g.pop("_memberships", None)


def has_role(user, conference: Conference, role: Role) -> bool:
    membership = membership_of(user, conference)
    return membership is not None and membership.role.rank >= role.rank


def is_site_admin(user) -> bool:
    return _authenticated(user) and user.is_site_admin


def is_member(user, conference: Conference) -> bool:
    return membership_of(user, conference) is not None


def can_join_conference(user, conference: Conference) -> bool:
    return _authenticated(user) and not is_member(user, conference)


def can_leave_conference(user, conference: Conference) -> bool:
    return is_member(user, conference)


def can_manage_conference(user, conference: Conference) -> bool:
    """Organizers of the conference and site admins edit details and members."""
    return is_site_admin(user) or has_role(user, conference, Role.ORGANIZER)


def can_view_programme(user, conference: Conference) -> bool:
    """The published schedule is public, like a printed programme."""
    return True


def can_star_sessions(user, conference: Conference) -> bool:
    """Keeping an agenda needs an account that joined the conference."""
    return is_member(user, conference)


def can_edit_programme(user, conference: Conference) -> bool:
    """Rooms, tracks, sessions, imports, publishing and demand are for organizers."""
    return can_manage_conference(user, conference)


def can_create_conference(user) -> bool:
    return is_site_admin(user)


def can_read_outbox(user) -> bool:
    return is_site_admin(user)


# Notes (above PREDICATES so that templates see them too). A private note is readable by its
# author alone: no predicate grants anybody else access, organizers and site admins included.
def can_read_shared_notes(user, conference: Conference) -> bool:
    """A session's shared notes are for the people taking part, and for its organizers."""
    return is_member(user, conference) or can_manage_conference(user, conference)


def can_edit_shared_notes(user, conference: Conference) -> bool:
    return can_read_shared_notes(user, conference)


def can_moderate_notes(user, conference: Conference) -> bool:
    """Restore or hide revisions, and download every shared note."""
    return can_manage_conference(user, conference)


def can_keep_private_notes(user, conference: Conference) -> bool:
    """Whether ``user`` may have private notes here at all (each only ever sees their own)."""
    return is_member(user, conference)


PREDICATES = {
    name: obj
    for name, obj in dict(globals()).items()
    if name.startswith(("can_", "is_", "has_")) and callable(obj)
}
