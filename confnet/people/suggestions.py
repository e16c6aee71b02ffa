"""Suggestions: the people of a conference someone might want to meet, ranked, with reasons.

Candidates are the findable members of the conference (listed, not hidden by the organizers,
not the viewer) minus anyone blocked either way, anyone the viewer already has an introduction
with, in any state and any conference, and anyone they dismissed here. ``suggest_people`` reads
the conference's roster (``confnet.people.roster``: one query when this process has the current
one) and one per viewer (exclusions and shared stars), whatever the size of the conference, and
scores everyone at once (``confnet.people.ranking``), unless this process ranked the same
inputs before (the ranking is kept, keyed by all of them). ``explain_people`` gives the same reasons
for any list of people (a person's page); ``explain_in_roster`` for members of a roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from confnet.extensions import db
from confnet.memo import Memo
from confnet.models import Conference, Profile, User
from confnet.pagecache import digest
from confnet.people.loading import (
    PERSON_COLUMNS,
    intents_of,
    parse_suggesting_to,
    person_from,
    shared_star_counts,
    suggesting_to,
    with_intents,
)
from confnet.people.ranking import best_in_roster
from confnet.people.roster import Roster, roster_of
from confnet.people.scoring import Match, Person, score_match

SUGGESTION_LIMIT = 30
# Rankings by everything they are made of: the roster's stamp, the viewer, and what the viewer's
# query read (the people never suggested, the people who starred the same sessions). A viewer
# who comes back while none of it changed gets the ranking made for the same inputs.
RANKINGS_KEPT = 1_000
_rankings: Memo[tuple[Match, ...]] = Memo(RANKINGS_KEPT)


@dataclass(frozen=True)
class Suggestions:
    viewer: Person | None  # as the scorer saw them (None: not a member)
    matches: list[Match]


def suggest_people(
    viewer: User, conference: Conference, limit: int = SUGGESTION_LIMIT
) -> Suggestions:
    """Up to ``limit`` people for ``viewer`` to meet in ``conference``, best first (score, then
    name without case, then id: the same data always gives the same list); only people with a
    reason. Two queries (two more when the roster is read anew)."""
    roster = roster_of(conference.id)
    mine = roster.index.get(viewer.id)
    if mine is None:  # not a member: nobody to suggest
        return Suggestions(None, [])
    read = suggesting_to(viewer.id, conference.id)
    me = roster.person(mine)

    def rank() -> tuple[Match, ...]:
        never, stars = parse_suggesting_to(read)
        among = roster.findable & ~roster.of_users(never) & ~(1 << mine)
        return tuple(best_in_roster(me, roster, among, stars, limit))

    if roster.stamp is None:  # a roster that isn't kept has no name to key a ranking by
        return Suggestions(me, list(rank()))
    key = (conference.id, roster.stamp, viewer.id, limit, digest(read))
    return Suggestions(me, list(_rankings.get(key, rank)))


def forget_rankings() -> None:
    """Drop the rankings this process keeps (measurements of the ranking itself)."""
    _rankings.clear()


def explain_in_roster(
    viewer: User, conference: Conference, roster: Roster, positions: list[int]
) -> tuple[Person, list[Match]]:
    """The viewer (a member of ``roster``) as the scorer sees them, and why they might want to
    meet each of the members at ``positions`` (the suggestions' reasons). One query (none
    without positions)."""
    me = roster.person(roster.index[viewer.id])
    people = [roster.person(i) for i in positions]
    ids = [p.id for p in people]
    stars = shared_star_counts(viewer.id, conference.id, among=ids) if ids else {}
    return me, [score_match(me, p, stars.get(p.id, 0)) for p in people]


def _person_row(user_id: int):
    return db.session.execute(
        select(*PERSON_COLUMNS)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id == user_id)
    ).one()


def explain_people(
    viewer: User, conference: Conference, people: list[Person]
) -> tuple[Person, dict[int, Match]]:
    """The viewer as the scorer sees them, and person id -> why ``viewer`` might want to meet
    them (the suggestions' reasons), for any people (whose intents need not be loaded). Four
    queries, however many people."""
    ids = [p.id for p in people]
    offers, seeks = intents_of([viewer.id, *ids])
    me, *others = with_intents([person_from(_person_row(viewer.id)), *people], offers, seeks)
    stars = shared_star_counts(viewer.id, conference.id, among=ids) if ids else {}
    return me, {p.id: score_match(me, p, stars.get(p.id, 0)) for p in others if p.id != viewer.id}
