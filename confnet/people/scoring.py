"""Why two people might want to meet: a pure scoring function with reasons in plain words.

No database here: ``Person`` is a snapshot of the fields that matter, and ``score_match`` turns
two snapshots and the number of sessions both starred into a ``Match``: a score and the reasons
behind it, strongest first. Complementary intents (one seeks what the other offers) weigh more
than any kind of similarity; shared languages only ever add a small bonus to another reason.

Scoring first finds *facts* (``(weight, kind, details)`` tuples: cheap), and only then puts them
in words (``say``), so that ``best_matches`` can score many people and word the top few. For a
whole conference, ``confnet.people.ranking`` adds up the same weights for everyone at once; tests
hold it to ``best_matches``, which stays the plain statement of the rules.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from confnet.models import Offer, Seek, User

INTENT = 10  # one seeks what the other offers
TRIAL_SITES = 8  # trial sites met by an offer of collaboration
BOTH_PEERS = 6  # both look for peers
ADVICE_FOR_MENTOR, ADVICE_FOR_PEERS = 5, 4  # advice is half a mentor, less than a peer
SAME_SUB_ELSEWHERE, SAME_SUB = 5, 4  # same sub-specialty, different country counts more
SAME_SPECIALTY = 3
PER_STAR, MAX_STARS = 2, 4  # shared starred sessions, counted up to MAX_STARS
PER_INTEREST, MAX_INTERESTS = 2, 3
PER_LANGUAGE, MAX_LANGUAGES = 1, 2

# What each thing sought is met by, with its weight (best match only).
COMPLEMENTS: dict[Seek, tuple[tuple[Offer, int], ...]] = {
    Seek.MENTOR: ((Offer.MENTORING, INTENT), (Offer.ADVICE, ADVICE_FOR_MENTOR)),
    Seek.COLLABORATORS: ((Offer.COLLABORATION, INTENT),),
    Seek.POSITION: ((Offer.HIRING, INTENT),),
    Seek.TRIAL_SITES: ((Offer.COLLABORATION, TRIAL_SITES),),
    Seek.PEERS: ((Offer.ADVICE, ADVICE_FOR_PEERS),),
}


def split_list(text: str) -> tuple[str, ...]:
    """``"a, b ,,c"`` -> ``("a", "b", "c")``."""
    return tuple(filter(None, map(str.strip, text.split(",")))) if text else ()


def spelling_key(text: str) -> str:
    """How two spellings are compared: without case (the profile form already collapses runs of
    spaces, see ``confnet.accounts.services``)."""
    return text.strip().casefold()


@dataclass(slots=True)
class Person:
    """What the scorer knows about one person (see ``confnet.people.loading``); treat it as
    read-only. The ``*_key`` fields are derived once, so that scoring thousands stays cheap."""

    id: int
    name: str
    specialty: str = ""
    sub_specialty: str = ""
    country: str = ""
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    offers: frozenset[Offer] = frozenset()
    seeks: frozenset[Seek] = frozenset()
    specialty_key: str = field(init=False, repr=False, compare=False)
    sub_key: str = field(init=False, repr=False, compare=False)
    country_key: str = field(init=False, repr=False, compare=False)
    interest_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    language_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.specialty_key = spelling_key(self.specialty)
        self.sub_key = spelling_key(self.sub_specialty)
        self.country_key = spelling_key(self.country)
        self.interest_keys = frozenset(map(str.casefold, self.interests))
        self.language_keys = frozenset(map(str.casefold, self.languages))

    @property
    def first_name(self) -> str:
        """``Dr. Lena Vogel`` -> ``Lena``: ``User.first_name`` itself (it reads only ``name``)."""
        return User.first_name.fget(self)

    @property
    def is_empty(self) -> bool:
        """Nothing to match on: no specialty, intents or interests."""
        return not (
            self.specialty or self.sub_specialty or self.offers or self.seeks or self.interests
        )


Fact = tuple[int, str, tuple]  # (weight, kind, details): a reason before it is put in words


@dataclass(frozen=True)
class Match:
    person: Person
    score: int
    reasons: tuple[str, ...]  # strongest first


def phrase(text: str) -> str:
    """A field as it reads inside a sentence: ``Cardiology`` -> ``cardiology``, but ``AI`` and
    ``ICU nursing`` keep their capitals."""
    text = " ".join(text.split())
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# The order in which needs are met (and reasons listed on ties): one offer meets one need.
SEEK_ORDER = (Seek.MENTOR, Seek.COLLABORATORS, Seek.POSITION, Seek.TRIAL_SITES, Seek.PEERS)


def _best_offer(seek: Seek, offers: frozenset[Offer], used: tuple) -> tuple[Offer, int] | None:
    for offer, weight in COMPLEMENTS[seek]:
        if offer in offers and offer not in used:
            return offer, weight
    return None


def _boost(weight: int, same_specialty: bool) -> int:
    return weight + weight // 2 if same_specialty else weight


def add_intent_facts(facts: list[Fact], me: Person, them: Person) -> None:
    """Complementary intents both ways (each offer meets one need); half as much again within
    the same specialty."""
    if not (me.seeks or them.seeks):
        return
    same = bool(me.specialty_key) and me.specialty_key == them.specialty_key
    for kind, seeker, giver in (("you seek", me, them), ("they seek", them, me)):
        if not seeker.seeks or not giver.offers:
            continue
        used: tuple = ()
        for seek in SEEK_ORDER:
            if seek in seeker.seeks and (best := _best_offer(seek, giver.offers, used)):
                facts.append((_boost(best[1], same), kind, (seek, best[0], same)))
                used += (best[0],)
    if Seek.PEERS in me.seeks and Seek.PEERS in them.seeks:
        facts.append((_boost(BOTH_PEERS, same), "peers", (same,)))


def _shared(mine: tuple[str, ...], my_keys: frozenset[str], their_keys: frozenset[str]):
    """Entries of ``mine`` that ``their_keys`` has too (compared without case), in my order."""
    if my_keys.isdisjoint(their_keys):
        return ()
    return tuple(dict.fromkeys(t for t in mine if spelling_key(t) in their_keys))


def add_similarity_facts(facts: list[Fact], me: Person, them: Person, shared_stars: int) -> None:
    """Sessions both starred, shared interests, the same (sub-)specialty."""
    if shared_stars > 0:
        facts.append((PER_STAR * min(shared_stars, MAX_STARS), "stars", (shared_stars,)))
    interests = _shared(me.interests, me.interest_keys, them.interest_keys)[:MAX_INTERESTS]
    if interests:
        facts.append((PER_INTEREST * len(interests), "interests", interests))
    if me.sub_key and me.sub_key == them.sub_key:
        elsewhere = bool(me.country_key and them.country_key and me.country_key != them.country_key)
        facts.append((SAME_SUB_ELSEWHERE if elsewhere else SAME_SUB, "sub", (elsewhere,)))
    if me.specialty_key and me.specialty_key == them.specialty_key:
        facts.append((SAME_SPECIALTY, "specialty", ()))


def facts_of(me: Person, them: Person, shared_stars: int = 0) -> list[Fact]:
    """Every reason ``me`` might want to meet ``them``; shared languages only as a bonus."""
    facts: list[Fact] = []
    add_intent_facts(facts, me, them)
    add_similarity_facts(facts, me, them, shared_stars)
    if facts:
        languages = _shared(me.languages, me.language_keys, them.language_keys)[:MAX_LANGUAGES]
        if languages:
            facts.append((PER_LANGUAGE * len(languages), "languages", languages))
    return facts


def _in(specialty: str) -> str:
    return f" in {phrase(specialty)}" if specialty else ""


def _listing(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _say_intent(kind: str, details: tuple, me: Person, them: Person) -> str:
    seek, offer, same = details
    shared = _in(me.specialty) if same else ""
    where = shared or _in(them.specialty)
    if kind == "you seek":
        return f"You seek {seek.label}{shared}; {them.first_name} offers {offer.value}{where}"
    return f"{them.first_name} seeks {seek.label}{where}; you offer {offer.value}{shared}"


def say(fact: Fact, me: Person, them: Person) -> str:
    """A fact in plain words, seen from ``me``."""
    _, kind, details = fact
    if kind in ("you seek", "they seek"):
        return _say_intent(kind, details, me, them)
    if kind == "peers":
        return f"You both look for peers{_in(me.specialty) if details[0] else ''}"
    if kind == "stars":
        count = details[0]
        if count == 1:
            return "You both starred the same session"
        return f"You both starred {count} of the same sessions"
    if kind == "interests":
        noun = "an interest" if len(details) == 1 else "interests"
        return f"You share {noun} in {_listing(details)}"
    if kind == "sub":
        sub = phrase(them.sub_specialty)
        if details[0]:
            return f"Same sub-specialty ({sub}), different country ({them.country})"
        return f"Same sub-specialty: {sub}"
    if kind == "specialty":
        return f"Same specialty: {phrase(them.specialty)}"
    return f"You both speak {_listing(details)}"


def score_match(me: Person, them: Person, shared_stars: int = 0) -> Match:
    """How much ``me`` might want to meet ``them``, and why (score 0: no reason at all).

    Deterministic: the same inputs give the same score and the same reasons in the same order
    (strongest first; ties keep the order intents, stars, interests, sub-specialty, specialty).
    """
    facts = sorted(facts_of(me, them, shared_stars), key=lambda fact: -fact[0])
    return Match(them, sum(f[0] for f in facts), tuple(say(f, me, them) for f in facts))


def _order(score: int, person: Person) -> tuple:
    return (-score, person.name.casefold(), person.id)


def rank(matches: list[Match], limit: int | None = None) -> list[Match]:
    """Matches with a score, best first; ties by name (without case), then id."""
    ranked = sorted((m for m in matches if m.score > 0), key=lambda m: _order(m.score, m.person))
    return ranked if limit is None else ranked[:limit]


def best_matches(
    me: Person, people: list[Person], shared_stars: dict[int, int], limit: int
) -> list[Match]:
    """``rank([score_match(...) for each person], limit)``, but only the top ``limit`` are put
    in words: scoring a 10,000-person conference stays cheap."""
    scored = []
    for person in people:
        score = sum(f[0] for f in facts_of(me, person, shared_stars.get(person.id, 0)))
        if score > 0:
            scored.append((_order(score, person), person))
    top = heapq.nsmallest(limit, scored, key=lambda entry: entry[0])
    return [score_match(me, person, shared_stars.get(person.id, 0)) for _, person in top]
