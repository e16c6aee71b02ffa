"""People within a conference: visibility, dismissed suggestions and a person's page.

Who may see whom is decided by the predicates in ``confnet.permissions``; the functions here
assume the caller checked them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference, Dismissal, Membership, Profile, User, Visibility
from confnet.people.loading import person_of
from confnet.people.suggestions import explain_people


class PeopleError(DomainError):
    pass


def set_visibility(membership: Membership, visibility: Visibility) -> Membership:
    """Who sees the member's profile in this conference from now on. Flushes."""
    membership.visibility = Visibility(visibility)
    db.session.flush()
    return membership


def dismiss_suggestion(user: User, conference: Conference, person: User) -> None:
    """``person`` is no longer suggested to ``user`` in ``conference``. Dismissing twice (a
    double tap, two tabs) is the same as once. Flushes."""
    if person.id == user.id:
        raise PeopleError("You are never suggested to yourself.")
    try:
        with db.session.begin_nested():
            db.session.add(
                Dismissal(user_id=user.id, conference_id=conference.id, dismissed_id=person.id)
            )
    except IntegrityError:
        already = db.session.scalar(
            select(Dismissal.dismissed_id).filter_by(
                user_id=user.id, conference_id=conference.id, dismissed_id=person.id
            )
        )
        if already is None:  # not a duplicate: the person or conference went away
            raise PeopleError("That person is no longer in this conference.") from None


@dataclass(frozen=True)
class PersonPage:
    """What a person's page shows besides the predicates' answers."""

    user: User
    profile: Profile | None
    membership: Membership
    reasons: tuple[str, ...]  # why the viewer might want to meet them (empty for oneself)


def person_page(viewer: User, person: User, conference: Conference) -> PersonPage | None:
    """``person`` as seen within ``conference`` (None if they are not a member of it)."""
    membership = db.session.scalar(
        select(Membership).filter_by(user_id=person.id, conference_id=conference.id)
    )
    if membership is None:
        return None
    profile = db.session.get(Profile, person.id)
    reasons: tuple[str, ...] = ()
    if viewer.id != person.id:
        them = person_of(person, profile)
        reasons = explain_people(viewer, conference, [them])[1][person.id].reasons
    return PersonPage(person, profile, membership, reasons)
