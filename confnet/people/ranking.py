"""The best matches for one person among a whole roster, without scoring each member in Python.

``tally_scores`` adds up, for every member at once, the weights ``facts_of`` finds one pair at a
time (see ``confnet.people.scoring``): complementary intents per exact set of things offered or
sought (a few dozen sets, each weighed by ``add_intent_facts`` itself), sessions starred by both,
shared interests, the same sub-specialty and specialty, and shared languages as a bonus for
anyone with another reason. ``best_in_roster`` then words only the top few with
``score_match``; tests check that it agrees with ``best_matches`` on random crowds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from confnet.people.roster import Roster
from confnet.people.scoring import (
    MAX_INTERESTS,
    MAX_LANGUAGES,
    MAX_STARS,
    PER_INTEREST,
    PER_LANGUAGE,
    PER_STAR,
    SAME_SPECIALTY,
    SAME_SUB,
    SAME_SUB_ELSEWHERE,
    Match,
    Person,
    add_intent_facts,
    rank,
    score_match,
    spelling_key,
)
from confnet.people.tally import Tally, bitset

_NONE: frozenset = frozenset()


@lru_cache(maxsize=4096)
def intent_weight(
    my_offers: frozenset, my_seeks: frozenset, offers: frozenset, seeks: frozenset, same: bool
) -> int:
    """What complementary intents weigh between me and someone offering ``offers`` and seeking
    ``seeks``, in the same specialty or not. The part for what they offer and the part for what
    they seek add up to the whole (``add_intent_facts`` weighs each direction on its own)."""
    specialty = "same" if same else ""
    me = Person(0, "", specialty=specialty, offers=my_offers, seeks=my_seeks)
    them = Person(1, "", specialty=specialty or "other", offers=offers, seeks=seeks)
    facts: list = []
    add_intent_facts(facts, me, them)
    return sum(fact[0] for fact in facts)


def _add_each(tally: Tally, weighted: Iterable[tuple[int, int]]) -> None:
    """Add each ``(weight, people)``, the sets being disjoint: one addition per weight."""
    by_weight: dict[int, int] = defaultdict(int)
    for weight, people in weighted:
        if weight and people:
            by_weight[weight] |= people
    for weight, people in by_weight.items():
        tally.add(weight, people)


def _add_intents(tally: Tally, me: Person, roster: Roster, same: int) -> None:
    for group in ("offers", "seeks"):
        weighted = []
        for answer, people in roster.groups[group].items():
            theirs = (answer, _NONE) if group == "offers" else (_NONE, answer)
            for is_same, part in ((True, people & same), (False, people & ~same)):
                weighted.append((intent_weight(me.offers, me.seeks, *theirs, is_same), part))
        _add_each(tally, weighted)


def _shared(roster: Roster, group: str, mine: tuple[str, ...]) -> Tally:
    """How many of ``mine`` each member has too (each spelling of mine counts, as in
    ``facts_of``)."""
    shared = Tally()
    for text in dict.fromkeys(mine):
        shared.add(1, roster.group(group, spelling_key(text)))
    return shared


def _add_stars(tally: Tally, roster: Roster, stars: dict[int, int]) -> None:
    starred: dict[int, list[int]] = defaultdict(list)  # sessions (counted up to MAX_STARS)
    index = roster.index
    for user_id, count in stars.items():  # thousands share a popular session: keep it lean
        i = index.get(user_id)
        if i is not None:
            starred[count if count < MAX_STARS else MAX_STARS].append(i)
    _add_each(tally, ((PER_STAR * n, bitset(found, roster.size)) for n, found in starred.items()))


def tally_scores(me: Person, roster: Roster, stars: dict[int, int]) -> Tally:
    """Everyone's ``score_match(me, member, stars.get(member's id, 0)).score`` at once
    (``stars``: user id -> sessions both starred)."""
    tally = Tally()
    same = roster.group("specialty", me.specialty_key) if me.specialty_key else 0
    _add_intents(tally, me, roster, same)
    _add_stars(tally, roster, stars)
    interests = _shared(roster, "interest", me.interests).capped(MAX_INTERESTS)
    _add_each(tally, ((PER_INTEREST * n, people) for n, people in interests))
    if me.sub_key:
        sub = roster.group("sub_specialty", me.sub_key)
        elsewhere = 0
        if me.country_key:
            here = roster.group("country", me.country_key) | roster.group("country", "")
            elsewhere = sub & ~here
        tally.add(SAME_SUB_ELSEWHERE, elsewhere)
        tally.add(SAME_SUB, sub & ~elsewhere)
    tally.add(SAME_SPECIALTY, same)
    with_reason = tally.nonzero()  # languages are only ever a bonus
    languages = _shared(roster, "language", me.languages).capped(MAX_LANGUAGES)
    _add_each(tally, ((PER_LANGUAGE * n, people & with_reason) for n, people in languages))
    return tally


def best_in_roster(
    me: Person, roster: Roster, among: int, stars: dict[int, int], limit: int
) -> list[Match]:
    """``best_matches(me, [the members in among], stars, limit)``: the same matches in the
    same order (``stars``: user id -> sessions both starred)."""
    chosen = [roster.person(i) for i in tally_scores(me, roster, stars).best(among, limit)]
    return rank([score_match(me, person, stars.get(person.id, 0)) for person in chosen])
