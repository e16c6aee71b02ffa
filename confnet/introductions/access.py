"""Predicates of this package, built on ``confnet.permissions`` (which they do not change).

They answer the questions the project-wide predicates leave open: organizers see every member's
profile (to act on reports) but must not use that wider view to approach hidden or blocking
people, and people may block or report someone they were introduced to even when that person's
profile is no longer visible to them.
"""

from sqlalchemy import select

from confnet import permissions
from confnet.extensions import db
from confnet.models import Block, Conference, Introduction
from confnet.people.relations import ordered


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def may_approach(user, person, conference: Conference) -> bool:
    """Whether ``user`` may ask ``person`` for an introduction in ``conference`` at all (the
    service then checks limits, existing requests and recent declines). False for oneself."""
    if not _authenticated(user) or person is None or user.id == person.id:
        return False
    return permissions.is_findable_by(user, person, conference)


def ever_introduced(user, person) -> bool:
    """Whether an introduction of the two exists, in any state and any conference."""
    if not _authenticated(user) or person is None or user.id == person.id:
        return False
    low, high = ordered(user.id, person.id)
    query = select(Introduction.id).filter_by(person_a_id=low, person_b_id=high).limit(1)
    return db.session.scalar(query) is not None


def blocks(user, person) -> bool:
    """Whether ``user`` blocked ``person`` (one direction only)."""
    if not _authenticated(user) or person is None:
        return False
    return db.session.get(Block, (user.id, person.id)) is not None


def may_block(user, person, conference: Conference) -> bool:
    """Block someone you can see here, were ever introduced to, or already block."""
    if not _authenticated(user) or person is None or user.id == person.id:
        return False
    if blocks(user, person) or ever_introduced(user, person):
        return True
    return permissions.can_browse_people(user, conference) and permissions.can_see_person(
        user, person, conference
    )


def may_report(user, person, conference: Conference) -> bool:
    """Report a member of ``conference`` to its organizers: members only, about someone they
    can see here, were introduced to, or blocked."""
    if not may_block(user, person, conference) or not permissions.is_member(user, conference):
        return False
    return permissions.is_member(person, conference)


def may_introduce(introducer, person, conference: Conference) -> bool:
    """Whether ``introducer`` may introduce ``person`` to somebody in ``conference``: one of
    their connections who takes part in it and whose profile the organizers have not hidden."""
    if not permissions.is_connected(introducer, person):
        return False
    theirs = permissions.membership_of(person, conference)
    return theirs is not None and theirs.profile_hidden_at is None
