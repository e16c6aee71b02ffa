"""The suggestion scorer on its own (no database): complementary intents first, then what two
people share, with the reasons in plain words and the same answer every time."""

import random

from confnet.models import Offer, Seek
from confnet.people.scoring import Person, best_matches, phrase, rank, score_match


def person(pid: int = 2, name: str = "Dr. Anna Berg", **fields) -> Person:
    fields["offers"] = frozenset(fields.get("offers", ()))
    fields["seeks"] = frozenset(fields.get("seeks", ()))
    return Person(id=pid, name=name, **fields)


ME = person(1, "Lotte van Dijk", specialty="Cardiology", country="Netherlands")


def test_a_mentor_in_the_same_specialty_is_said_in_plain_words():
    me = person(1, "Lotte", specialty="Cardiology", seeks={Seek.MENTOR})
    anna = person(specialty="cardiology", offers={Offer.MENTORING})
    match = score_match(me, anna)
    assert match.reasons[0] == (
        "You seek a mentor in cardiology; Anna offers mentoring in cardiology"
    )
    assert (
        match.score > score_match(me, person(specialty="Oncology", offers={Offer.MENTORING})).score
    )


def test_the_other_way_round_and_outside_ones_specialty():
    me = person(1, "Lotte", specialty="Cardiology", offers={Offer.HIRING})
    anna = person(specialty="Oncology", seeks={Seek.POSITION})
    assert score_match(me, anna).reasons == ("Anna seeks a position in oncology; you offer hiring",)
    me_seeking = person(1, "Lotte", seeks={Seek.TRIAL_SITES})
    sponsor = person(specialty="Clinical trials", offers={Offer.COLLABORATION})
    assert score_match(me_seeking, sponsor).reasons == (
        "You seek trial sites; Anna offers collaboration in clinical trials",
    )


def test_complementary_intents_weigh_more_than_any_similarity():
    me = person(
        1,
        "Lotte",
        specialty="Cardiology",
        sub_specialty="Heart failure",
        country="Netherlands",
        interests=("sepsis", "AI", "teaching", "ethics"),
        seeks={Seek.COLLABORATORS},
    )
    helper = score_match(me, person(4, "Helper", offers={Offer.COLLABORATION}))
    assert helper.reasons == ("You seek collaborators; Helper offers collaboration",)
    similar = [
        person(5, sub_specialty="heart failure", country="Germany"),
        person(6, specialty="Cardiology"),
        person(7, interests=("sepsis", "AI", "teaching", "ethics")),
        person(8),  # with many shared stars
    ]
    for them in similar:
        alone = score_match(me, them, shared_stars=20 if them.id == 8 else 0)
        assert len(alone.reasons) == 1 and 0 < alone.score < helper.score, alone
    twin = person(9, specialty="Cardiology", sub_specialty="Heart failure", country="Germany")
    assert score_match(me, twin).reasons == (
        "Same sub-specialty (heart failure), different country (Germany)",
        "Same specialty: cardiology",
    )


def test_both_seeking_peers_and_advice_as_a_partial_match():
    me = person(1, "Lotte", seeks={Seek.PEERS, Seek.MENTOR})
    peer = person(seeks={Seek.PEERS})
    adviser = person(3, "Ben Ode", offers={Offer.ADVICE})
    mentor = person(4, "Mia", offers={Offer.MENTORING})
    assert score_match(me, peer).reasons == ("You both look for peers",)
    advice = score_match(me, adviser)
    assert advice.reasons[0] == "You seek a mentor; Ben offers advice"
    assert 0 < advice.score < score_match(me, mentor).score


def test_shared_stars_interests_and_sub_specialty():
    me = person(
        1,
        "Lotte",
        sub_specialty="Electrophysiology",
        country="Netherlands",
        interests=("Heart failure", "AI in imaging", "sepsis", "teaching"),
    )
    them = person(
        sub_specialty="electrophysiology",
        country="Netherlands",
        interests=("heart failure", "ai in imaging", "sepsis", "teaching"),
    )
    match = score_match(me, them, shared_stars=4)
    assert match.reasons == (
        "You both starred 4 of the same sessions",
        "You share interests in Heart failure, AI in imaging and sepsis",
        "Same sub-specialty: electrophysiology",
    )
    assert score_match(me, person(), shared_stars=1).reasons == (
        "You both starred the same session",
    )
    many, four = score_match(me, them, shared_stars=40), score_match(me, them, shared_stars=4)
    assert many.score == four.score  # capped: a long agenda does not drown the intents


def test_languages_are_only_a_bonus_and_nothing_means_zero():
    me = person(1, "Lotte", languages=("Dutch", "English"), interests=("sepsis",))
    speaker = person(languages=("english",))
    assert score_match(me, speaker).score == 0
    assert score_match(me, speaker).reasons == ()
    both = score_match(me, person(languages=("English",), interests=("Sepsis",)))
    assert both.reasons == ("You share an interest in sepsis", "You both speak English")
    assert both.score == 3


def test_ranking_is_by_score_then_name_then_id_and_drops_zero():
    me = person(1, "Lotte", seeks={Seek.MENTOR}, interests=("sepsis",))
    people = [
        person(5, "bea", interests=("sepsis",)),
        person(4, "Bea", interests=("sepsis",)),
        person(3, "Adam", interests=("sepsis",)),
        person(6, "Zed", offers={Offer.MENTORING}),
        person(7, "Nobody"),
    ]
    ranked = rank([score_match(me, p) for p in people])
    assert [m.person.id for m in ranked] == [6, 3, 4, 5]
    again = rank([score_match(me, p) for p in reversed(people)])
    assert [m.person.id for m in again] == [6, 3, 4, 5]
    assert [m.person.id for m in rank([score_match(me, p) for p in people], limit=2)] == [6, 3]


def test_phrase_keeps_acronyms():
    assert phrase("Cardiology") == "cardiology"
    assert phrase("ICU nursing") == "ICU nursing"
    assert phrase("AI") == "AI"
    assert phrase("  Heart   failure ") == "heart failure"


def test_text_is_passed_through_untouched_for_the_template_to_escape():
    me = person(1, "Lotte", interests=("<script>x</script>",))
    them = person(name="<b>Eve</b>", interests=("<SCRIPT>x</SCRIPT>",))
    assert score_match(me, them).reasons == ("You share an interest in <script>x</script>",)


def test_one_offer_meets_one_need():
    me = person(1, "Lotte", seeks={Seek.MENTOR, Seek.PEERS})
    adviser = person(offers={Offer.ADVICE})
    assert score_match(me, adviser).reasons == ("You seek a mentor; Anna offers advice",)


def test_best_matches_words_only_the_top_but_agrees_with_scoring_everyone():
    """``best_matches`` (fast: scores all, words the top) == ranking every full match."""
    rng = random.Random(6)
    tags = ("sepsis", "AI", "teaching", "ethics", "trials")

    def someone(pid):
        return person(
            pid,
            f"Person {rng.randint(0, 30)}",
            specialty=rng.choice(("Cardiology", "cardiology", "Oncology", "")),
            sub_specialty=rng.choice(("Heart failure", "", "Sepsis")),
            country=rng.choice(("Netherlands", "Germany", "")),
            interests=tuple(rng.sample(tags, rng.randint(0, 3))),
            languages=tuple(rng.sample(("Dutch", "English", "German"), rng.randint(0, 2))),
            offers=set(rng.sample(list(Offer), rng.randint(0, 2))),
            seeks=set(rng.sample(list(Seek), rng.randint(0, 2))),
        )

    people = [someone(pid) for pid in range(2, 400)]
    stars = {p.id: rng.randint(0, 6) for p in people if rng.random() < 0.3}
    for me in (someone(1), person(1, "Empty")):
        full = rank([score_match(me, p, stars.get(p.id, 0)) for p in people], limit=25)
        assert len(full) == 25 and best_matches(me, people, stars, 25) == full
