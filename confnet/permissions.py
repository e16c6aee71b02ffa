"""Who may do what: named predicates, used by views and templates alike.

Every predicate takes the acting user (possibly anonymous) and the object, and answers a bool.
Membership look-ups are memoised per request so that templates can ask freely.
"""

from flask import g, has_request_context
from sqlalchemy import and_, bindparam, or_, select

from confnet.extensions import db
from confnet.models import (
    Block,
    Conference,
    Introduction,
    IntroductionStatus,
    Membership,
    Role,
    User,
    Visibility,
)


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


_MEMBERSHIP = select(Membership).where(  # read on every page: built once
    Membership.user_id == bindparam("user_id"),
    Membership.conference_id == bindparam("conference_id"),
)


def membership_of(user, conference: Conference) -> Membership | None:
    """The user's membership in ``conference``, or None (anonymous users have none)."""
    if not _authenticated(user):
        return None
    key = (user.id, conference.id)
    cache = g.setdefault("_memberships", {}) if has_request_context() else {}
    if key not in cache:
        params = {"user_id": user.id, "conference_id": conference.id}
        cache[key] = db.session.scalar(_MEMBERSHIP, params)
    return cache[key]


def remember_membership(user, conference: Conference, membership: Membership | None) -> None:
    """Note ``membership`` (read along with the conference) as the user's for this request."""
    if _authenticated(user) and has_request_context():
        g.setdefault("_memberships", {})[user.id, conference.id] = membership


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


def can_read_audit_log(user, conference: Conference) -> bool:
    """What organizers did to people in ``conference`` (confnet.audit): for its organizers and
    the site admins, never for attendees or speakers."""
    return can_manage_conference(user, conference)


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


# People and introductions. Nothing about a person shows to someone who does not share a
# conference with them, except through an accepted introduction (a "connection").
def _memo(name: str) -> dict:
    return g.setdefault(name, {}) if has_request_context() else {}


def _pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def is_blocked_between(user, person) -> bool:
    """Whether either of the two blocked the other."""
    if not _authenticated(user) or person is None:
        return False
    key, cache = _pair(user.id, person.id), _memo("_blocks")
    if key not in cache:
        either = or_(
            and_(Block.blocker_id == user.id, Block.blocked_id == person.id),
            and_(Block.blocker_id == person.id, Block.blocked_id == user.id),
        )
        cache[key] = db.session.scalar(select(Block.blocker_id).where(either).limit(1)) is not None
    return cache[key]


def connection_between(user, person) -> Introduction | None:
    """The accepted introduction of the two (in any conference), or None."""
    if not _authenticated(user) or person is None or user.id == person.id:
        return None
    key, cache = _pair(user.id, person.id), _memo("_connections")
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Introduction).filter_by(
                person_a_id=key[0], person_b_id=key[1], status=IntroductionStatus.ACCEPTED
            )
        )
    return cache[key]


def prime_people(user, people, conference: Conference) -> None:
    """Answer in two queries what pages listing ``people`` will ask about each of them
    (memberships in ``conference``, blocks with ``user``), instead of two queries a person."""
    if not _authenticated(user) or not has_request_context():
        return
    ids = {person.id for person in people} - {user.id}
    if not ids:
        return
    members = _memo("_memberships")
    found = db.session.scalars(
        select(Membership).where(
            Membership.conference_id == conference.id, Membership.user_id.in_(ids)
        )
    )
    by_user = {membership.user_id: membership for membership in found}
    for person_id in ids:
        members.setdefault((person_id, conference.id), by_user.get(person_id))
    pairs = db.session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(
                and_(Block.blocker_id == user.id, Block.blocked_id.in_(ids)),
                and_(Block.blocked_id == user.id, Block.blocker_id.in_(ids)),
            )
        )
    )
    blocked = {x if x != user.id else y for x, y in pairs}
    blocks = _memo("_blocks")
    for person_id in ids:
        blocks.setdefault(_pair(user.id, person_id), person_id in blocked)


def forget_relations() -> None:
    """Drop the per-request memo after a block or an introduction changed."""
    if has_request_context():
        for name in ("_blocks", "_connections"):
            g.pop(name, None)


def is_connected(user, person) -> bool:
    return connection_between(user, person) is not None and not is_blocked_between(user, person)


def can_browse_people(user, conference: Conference) -> bool:
    """The directory, suggestions and introductions are for the conference's members."""
    return is_member(user, conference)


def can_moderate_people(user, conference: Conference) -> bool:
    """Read reports and hide profiles."""
    return can_manage_conference(user, conference)


def is_findable_by(user, person, conference: Conference) -> bool:
    """Whether ``user``, as a fellow member (moderation rights aside), may see ``person`` here:
    organizers see more profiles, but approach people on the same terms as everybody else."""
    theirs = membership_of(person, conference)
    if theirs is None or not can_browse_people(user, conference):
        return False
    if is_blocked_between(user, person) or theirs.profile_hidden_at is not None:
        return False
    if theirs.visibility is Visibility.LISTED:
        return True
    return theirs.visibility is Visibility.CONNECTIONS and is_connected(user, person)


def can_see_person(user, person, conference: Conference) -> bool:
    """Whether ``user`` may see ``person``'s profile within ``conference`` (never their contact
    details: see ``can_see_contact``). Blocks hide both ways; organizers see every member's
    profile so that they can act on reports."""
    if not _authenticated(user) or person is None:
        return False
    if user.id == person.id:
        return True
    if can_moderate_people(user, conference) and is_member(person, conference):
        return True
    return is_findable_by(user, person, conference)


def can_see_contact(user, person) -> bool:
    """Contact details (email, phone, links) are for accepted introductions only."""
    return is_connected(user, person)


def can_request_introduction(user, person, conference: Conference) -> bool:
    """Whether the "ask for an introduction" form shows; the service checks the rest (limits,
    a recent decline, an existing request) and says why it refuses. Organizers approach people
    as any member would: their wider view is for moderation only."""
    if not _authenticated(user) or person is None or user.id == person.id:
        return False
    return is_findable_by(user, person, conference) and not is_connected(user, person)


def can_message(user, introduction: Introduction) -> bool:
    """The thread of an accepted introduction is for its two people, while neither blocked."""
    if not _authenticated(user) or not introduction.involves(user.id):
        return False
    if introduction.status is not IntroductionStatus.ACCEPTED:
        return False
    other = db.session.get(User, introduction.other_id(user.id))
    return not is_blocked_between(user, other)


def can_book_meeting(user, introduction: Introduction, conference: Conference) -> bool:
    """Connected people who are both members of ``conference`` can meet there."""
    if not can_message(user, introduction) or not is_member(user, conference):
        return False
    other = db.session.get(User, introduction.other_id(user.id))
    return is_member(other, conference)


PREDICATES = {
    name: obj
    for name, obj in dict(globals()).items()
    if name.startswith(("can_", "is_", "has_")) and callable(obj)
}
