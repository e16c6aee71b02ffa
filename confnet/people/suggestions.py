"""Suggestions: the people of a conference someone might want to meet, ranked, with reasons.

Candidates are the findable members of the conference (listed, not hidden by the organizers,
not the viewer) minus anyone blocked either way, anyone the viewer already has an introduction
with, in any state and any conference, and anyone they dismissed here. ``suggest_people`` reads
the conference's roster (``confnet.people.roster``: one query when this process has the current
one) and one per viewer (exclusions and shared stars), whatever the size of the conference, and
scores everyone at once (``confnet.people.ranking``). ``explain_people`` gives the same reasons
for any list of people (a person's page); ``explain_in_roster`` for members of a roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from confnet.extensions import db
from confnet.models import Conference, Profile, User
from confnet.people.loading import (
    PERSON_COLUMNS,
    intents_of,
    person_from,
    shared_star_counts,
    suggesting_to,
    with_intents,
)
from confnet.people.ranking import best_in_roster
from confnet.people.roster import Roster, roster_of
from confnet.people.scoring import Match, Person, score_match

SUGGESTION_LIMIT = 30


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
    never, stars = suggesting_to(viewer.id, conference.id)
    excluded = roster.of_users(never)
    me = roster.person(mine)
    among = roster.findable & ~excluded & ~(1 << mine)
    return Suggestions(me, best_in_roster(me, roster, among, stars, limit))


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
