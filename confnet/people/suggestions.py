"""Suggestions: the people of a conference someone might want to meet, ranked, with reasons.

Candidates are the listed members of the conference (not hidden by the organizers, not the
viewer, no block either way) minus anyone the viewer already has an introduction with, in any
state and any conference, and anyone they dismissed here. ``suggest_people`` runs a fixed number
of queries (five: people, offers, seeks, exclusions, shared stars) whatever the size of the
conference, and scores in Python (``confnet.people.scoring``); ``explain_people`` gives the same
reasons for any list of people (the directory's rows, a person's page).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from confnet.extensions import db
from confnet.models import Conference, Membership, Profile, User
from confnet.people.loading import (
    PERSON_COLUMNS,
    excluded_from_suggestions,
    intents_of,
    listed_members,
    load_people,
    person_from,
    shared_star_counts,
    with_intents,
)
from confnet.people.scoring import Match, Person, best_matches, score_match

SUGGESTION_LIMIT = 30


@dataclass(frozen=True)
class Suggestions:
    viewer: Person | None  # as the scorer saw them (None: not a member)
    matches: list[Match]


def suggest_people(
    viewer: User, conference: Conference, limit: int = SUGGESTION_LIMIT
) -> Suggestions:
    """Up to ``limit`` people for ``viewer`` to meet in ``conference``, best first (score, then
    name, then id: the same data always gives the same list); only people with a reason."""
    everyone = load_people(
        conference.id,
        or_(Membership.user_id == viewer.id, listed_members(conference.id, viewer.id)),
    )
    me = next((p for p in everyone if p.id == viewer.id), None)
    if me is None:  # not a member: nobody to suggest
        return Suggestions(None, [])
    excluded = excluded_from_suggestions(viewer.id, conference.id) | {viewer.id}
    stars = shared_star_counts(viewer.id, conference.id)
    candidates = [person for person in everyone if person.id not in excluded]
    return Suggestions(me, best_matches(me, candidates, stars, limit))


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
