"""Reading people and what relates them to a viewer, in a fixed number of queries.

Everything here reads plain columns (no ORM objects, no lazy loads), so that the cost of a page
does not depend on the size of the conference in number of queries. The conference's members
themselves are read by ``confnet.people.roster``; this reads the rest: a person's scorer
snapshot outside a roster, the viewer's exclusions and the sessions they share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from types import SimpleNamespace

from sqlalchemy import (
    Select,
    String,
    bindparam,
    cast,
    func,
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
    Offer,
    Profile,
    ProfileOffer,
    ProfileSeek,
    ScheduleItem,
    Seek,
    Star,
    User,
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


_NONE: frozenset = frozenset()


def person_from(row, offers: dict | None = None, seeks: dict | None = None) -> Person:
    """The scorer's snapshot of a row of ``PERSON_COLUMNS``, with intents from ``intents_of``."""
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


# Built once: these run on every suggestions and directory page, and building a statement costs
# more than running it. ``viewer`` and ``conference`` are bound per call.
_VIEWER, _CONFERENCE = bindparam("viewer"), bindparam("conference")
_MY_STARRED = (
    select(Star.item_id)
    .join(ScheduleItem, ScheduleItem.id == Star.item_id)
    .where(Star.user_id == _VIEWER, ScheduleItem.conference_id == _CONFERENCE)
)
_THEIRS = aliased(Star)
# One row: the users who starred each of the viewer's sessions, joined by commas (a user once
# per session), which is far cheaper to read than a row per user.
_STARRED_TOO = select(func.aggregate_strings(cast(_THEIRS.user_id, String), ",")).where(
    _THEIRS.item_id.in_(_MY_STARRED), _THEIRS.user_id != _VIEWER
)
_STARRED_TOO_AMONG = _STARRED_TOO.where(_THEIRS.user_id.in_(bindparam("among", expanding=True)))
_EXCLUDED = union_all(
    select(Block.blocked_id).where(Block.blocker_id == _VIEWER),
    select(Block.blocker_id).where(Block.blocked_id == _VIEWER),
    select(Introduction.person_b_id).where(Introduction.person_a_id == _VIEWER),
    select(Introduction.person_a_id).where(Introduction.person_b_id == _VIEWER),
    select(Dismissal.dismissed_id).where(
        Dismissal.user_id == _VIEWER, Dismissal.conference_id == _CONFERENCE
    ),
)


# Both of the above for the viewer's suggestions, as one row of two strings.
_SUGGESTING = select(
    select(func.aggregate_strings(cast(_EXCLUDED.subquery().c[0], String), ",")).scalar_subquery(),
    _STARRED_TOO.scalar_subquery(),
)


def _counted(users: str | None) -> dict[int, int]:
    return Counter(map(int, users.split(","))) if users else {}


def shared_star_counts(
    viewer_id: int, conference_id: int, among: Iterable[int] | None = None
) -> dict[int, int]:
    """User id -> how many of ``viewer_id``'s starred sessions in the conference they starred
    too (only users with at least one; only ``among`` if given). One query, answered from the
    index on stars (item, user)."""
    params = {"viewer": viewer_id, "conference": conference_id}
    query = _STARRED_TOO
    if among is not None:
        query, params["among"] = _STARRED_TOO_AMONG, list(among)
    return _counted(db.session.connection().execute(query, params).scalar())


def suggesting_to(viewer_id: int, conference_id: int) -> tuple[str | None, str | None]:
    """What suggestions for ``viewer_id`` here need from the database, in one query, as read
    (see ``parse_suggesting_to``): the people never suggested to them (anyone blocked either
    way, anyone with an introduction with them in any state and any conference, anyone they
    dismissed in this conference) and the people who starred their sessions too."""
    params = {"viewer": viewer_id, "conference": conference_id}
    return tuple(db.session.connection().execute(_SUGGESTING, params).one())


def parse_suggesting_to(read: tuple[str | None, str | None]) -> tuple[set[int], dict[int, int]]:
    """``suggesting_to``'s answer as the ids never suggested and ``shared_star_counts``."""
    excluded, starred = read
    return {int(i) for i in excluded.split(",")} if excluded else set(), _counted(starred)
