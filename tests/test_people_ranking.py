"""Scoring a whole roster at once (bit sets) gives exactly what scoring each person gives."""

import random

import pytest

from confnet.models import Offer, Seek
from confnet.people.ranking import best_in_roster, tally_scores
from confnet.people.roster import MemberRow, build_roster
from confnet.people.scoring import best_matches, score_match
from confnet.people.tally import Tally, bitset, members

TAGS = ("sepsis", "Sepsis", "AI", "teaching", "ethics", "trials", "AI ")


def crowd(rng: random.Random, size: int):
    """A roster of ``size`` random members, some without a profile or not findable."""
    rows, offers, seeks = [], {}, {}
    for uid in range(1, size + 1):
        name = f"{rng.choice(('Ann', 'ann', 'Bo', 'Émile', 'Zoë'))} {rng.randint(0, 9)}"
        if rng.random() < 0.1:
            rows.append(MemberRow(uid, name, rng.random() < 0.8))
            continue
        rows.append(
            MemberRow(
                uid,
                name,
                rng.random() < 0.8,
                specialty=rng.choice(("Cardiology", "cardiology ", "Oncology", "", None)),
                sub_specialty=rng.choice(("Heart failure", "heart Failure", "", "Sepsis")),
                country=rng.choice(("Netherlands", "netherlands", "Germany", "", None)),
                interests=", ".join(rng.sample(TAGS, rng.randint(0, 4))),
                languages=", ".join(rng.sample(("Dutch", "English", "german"), rng.randint(0, 3))),
            )
        )
        offers[uid] = frozenset(rng.sample(list(Offer), rng.randint(0, 3)))
        seeks[uid] = frozenset(rng.sample(list(Seek), rng.randint(0, 3)))
    return build_roster(rows, offers, seeks)


@pytest.mark.parametrize("seed", range(12))
def test_the_roster_ranking_agrees_with_scoring_each_person(seed):
    rng = random.Random(seed)
    roster = crowd(rng, rng.choice((5, 60, 400)))
    for _ in range(4):
        mine = rng.randrange(roster.size)
        me = roster.person(mine)
        among = roster.findable & ~(1 << mine) & ~bitset(rng.sample(range(roster.size), 3), 400)
        stars = {row.id: rng.randint(1, 6) for row in roster.rows if rng.random() < 0.3}
        stars[10_000] = 3  # not a member (any more): ignored
        people = [roster.person(i) for i in members(among)]
        tally = tally_scores(me, roster, stars)
        for i, person in enumerate(map(roster.person, range(roster.size))):
            assert tally.value(i) == score_match(me, person, stars.get(person.id, 0)).score
        for limit in (1, 7, 30):
            expected = best_matches(me, people, stars, limit)
            assert best_in_roster(me, roster, among, stars, limit) == expected


def test_a_tally_adds_and_picks_the_best_with_ties_by_position():
    tally = Tally()
    numbers = [0, 5, 3, 5, 12, 1, 0, 3, 3, 7]
    for weight in (1, 2, 4, 8):
        tally.add(weight, bitset((i for i, n in enumerate(numbers) if n & weight), 10))
    assert [tally.value(i) for i in range(10)] == numbers
    assert tally.best(bitset(range(10), 10), 4) == [4, 9, 1, 3]
    assert tally.best(bitset(range(10), 10), 5) == [4, 9, 1, 3, 2]
    assert tally.best(bitset(range(10), 10), 50) == [4, 9, 1, 3, 2, 7, 8, 5]
    assert tally.best(bitset((0, 6, 2), 10), 2) == [2]  # never a 0
    assert members(tally.exactly(3)) == [2, 7, 8]
    assert [(n, members(people)) for n, people in tally.capped(3)] == [
        (1, [5]),
        (2, []),
        (3, [1, 2, 3, 4, 7, 8, 9]),
    ]
    assert members(bitset(range(0, 100, 3), 100), 5, 8) == [15, 18, 21]


def test_the_directory_search_folds_accents_in_rows_inserted_in_bulk():
    rows = [
        MemberRow(1, "Chloé Sørensen", True, organization="Hôpital", search_text=""),
        MemberRow(2, "Ben", True, specialty="Cardiology", search_text="ben\n\ncardiology\n\n"),
        MemberRow(3, "Zoë", True),
    ]
    roster = build_roster(rows, {}, {})
    assert [roster.rows[i].id for i in members(roster.matching("SORENSEN"))] == [1]
    assert [roster.rows[i].id for i in members(roster.matching("hopital"))] == [1]
    assert [roster.rows[i].id for i in members(roster.matching("Cardio"))] == [2]
    assert [roster.rows[i].id for i in members(roster.matching("zoe"))] == [3]
