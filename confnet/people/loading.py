"""Reading people for the directory and the suggestions, in a fixed number of queries.

Everything here reads plain columns (no ORM objects, no lazy loads), so that the cost of a page
or of the suggestions does not depend on the size of the conference in number of queries:
``load_people`` runs three (profiles, offers, seeks) whatever ``where`` selects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import SimpleNamespace

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from confnet.extensions import db
from confnet.models import (
    Block,
    Dismissal,
    Introduction,
    Membership,
    Offer,
    Profile,
    ProfileOffer,
    ProfileSeek,
    ScheduleItem,
    Seek,
    Star,
    User,
    Visibility,
)
from confnet.people.scoring import Person, split_list

# Columns the scorer and the directory rows need (never the bio or the contact details).
PERSON_COLUMNS = (
    User.id,
    User.name,
    Profile.specialty,
    Profile.sub_specialty,
    Profile.country,
    Profile.interests,
    Profile.languages,
)


def blocked_either_way(viewer_id: int, user_id_column) -> ColumnElement[bool]:
    """Whether ``viewer_id`` and the user in ``user_id_column`` blocked one another (two
    uncorrelated subqueries: evaluated once, not once per row)."""
    return or_(
        user_id_column.in_(select(Block.blocked_id).where(Block.blocker_id == viewer_id)),
        user_id_column.in_(select(Block.blocker_id).where(Block.blocked_id == viewer_id)),
    )


def listed_members(conference_id: int, viewer_id: int) -> ColumnElement[bool]:
    """Conditions on ``Membership``/``User``: the members of the conference that ``viewer_id``
    may find there. Listed, not hidden by the organizers, not the viewer, no block either way."""
    return and_(
        Membership.conference_id == conference_id,
        Membership.visibility == Visibility.LISTED,
        Membership.profile_hidden_at.is_(None),
        Membership.user_id != viewer_id,
        ~blocked_either_way(viewer_id, Membership.user_id),
    )


def people_query(*columns) -> Select:
    """Users with their profile's columns (None for people without a profile), joined to their
    memberships so that callers can filter on conference and visibility."""
    return (
        select(*PERSON_COLUMNS, *columns)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
    )


_NONE: frozenset = frozenset()


def person_from(row, offers: dict | None = None, seeks: dict | None = None) -> Person:
    """The scorer's snapshot of a ``people_query`` row, with intents from ``intents_of``."""
    return Person(
        id=row.id,
        name=row.name,
        specialty=row.specialty or "",
        sub_specialty=row.sub_specialty or "",
        country=row.country or "",
        interests=split_list(row.interests or ""),
        languages=split_list(row.languages or ""),
        offers=offers.get(row.id, _NONE) if offers else _NONE,
        seeks=seeks.get(row.id, _NONE) if seeks else _NONE,
    )


def person_of(user: User, profile: Profile | None) -> Person:
    """The scorer's snapshot of an ORM user and profile, without intents."""
    if profile is None:
        return Person(id=user.id, name=user.name)
    fields = ("specialty", "sub_specialty", "country", "interests", "languages")
    columns = {name: getattr(profile, name) for name in fields}
    return person_from(SimpleNamespace(id=user.id, name=user.name, **columns))


OFFERS = {offer.value: offer for offer in Offer}
SEEKS = {seek.value: seek for seek in Seek}


def _grouped(query, members: dict) -> dict[int, set]:
    """user id -> set of enum members, read as plain text (no per-row type processing)."""
    grouped: dict[int, set] = {}
    for user_id, value in db.session.connection().execute(query):
        grouped.setdefault(user_id, set()).add(members[value])
    return grouped


def _offers() -> Select:
    return select(ProfileOffer.user_id, type_coerce(ProfileOffer.offer, String))


def _seeks() -> Select:
    return select(ProfileSeek.user_id, type_coerce(ProfileSeek.seek, String))


def intents_of(ids: Iterable[int]) -> tuple[dict, dict]:
    """``(offers, seeks)``: user id -> set, for the users ``ids``. Two queries."""
    ids = list(ids)
    return (
        _grouped(_offers().where(ProfileOffer.user_id.in_(ids)), OFFERS),
        _grouped(_seeks().where(ProfileSeek.user_id.in_(ids)), SEEKS),
    )


def with_intents(people: list[Person], offers: dict, seeks: dict) -> list[Person]:
    """The same people with their offers and seeks filled in."""
    return [
        replace(p, offers=frozenset(offers.get(p.id, ())), seeks=frozenset(seeks.get(p.id, ())))
        for p in people
    ]


def load_people(conference_id: int, where: ColumnElement[bool]) -> list[Person]:
    """The members of ``conference_id`` matching ``where`` (conditions on Membership/User/Profile)
    as scorer snapshots with their intents. Three queries (the intents of every member of the
    conference: cheaper than repeating ``where``)."""
    members = Membership.conference_id == conference_id
    offers = _grouped(
        _offers().join(Membership, Membership.user_id == ProfileOffer.user_id).where(members),
        OFFERS,
    )
    seeks = _grouped(
        _seeks().join(Membership, Membership.user_id == ProfileSeek.user_id).where(members),
        SEEKS,
    )
    rows = db.session.connection().execute(people_query().where(members, where))
    return [person_from(row, offers, seeks) for row in rows]


def shared_star_counts(
    viewer_id: int, conference_id: int, among: Iterable[int] | None = None
) -> dict[int, int]:
    """User id -> how many of ``viewer_id``'s starred sessions in the conference they starred
    too (only users with at least one; only ``among`` if given). One query."""
    mine, theirs = aliased(Star), aliased(Star)
    query = (
        select(theirs.user_id, func.count())
        .select_from(mine)
        .join(theirs, theirs.item_id == mine.item_id)
        .join(ScheduleItem, ScheduleItem.id == mine.item_id)
        .where(
            mine.user_id == viewer_id,
            theirs.user_id != viewer_id,
            ScheduleItem.conference_id == conference_id,
        )
        .group_by(theirs.user_id)
    )
    if among is not None:
        query = query.where(theirs.user_id.in_(list(among)))
    return {user_id: count for user_id, count in db.session.execute(query)}


def excluded_from_suggestions(viewer_id: int, conference_id: int) -> set[int]:
    """People never suggested to ``viewer_id`` here: anyone blocked either way, anyone with an
    introduction with them in any state (connected, pending, declined, withdrawn, ended; in any
    conference) and anyone they dismissed in this conference. One query."""
    parts = union_all(
        select(Block.blocked_id).where(Block.blocker_id == viewer_id),
        select(Block.blocker_id).where(Block.blocked_id == viewer_id),
        select(Introduction.person_b_id).where(Introduction.person_a_id == viewer_id),
        select(Introduction.person_a_id).where(Introduction.person_b_id == viewer_id),
        select(Dismissal.dismissed_id).where(
            Dismissal.user_id == viewer_id, Dismissal.conference_id == conference_id
        ),
    )
    return set(db.session.scalars(select(parts.subquery().c[0])))
