"""Brokered introductions without HTTP: a third person introduces two of their connections,
and each of the two must say yes (double opt-in)."""

import pytest
from sqlalchemy import func, select
from test_introductions_support import NOW, member, notes_of, teller

from confnet.extensions import db
from confnet.introductions import answers, services
from confnet.introductions.rules import IntroductionRefused, PersonUnavailable
from confnet.models import Answer, Block, Introduction, IntroductionStatus


@pytest.fixture
def scene(make):
    conference = make.conference("brk", name="Heart Days")
    return (
        conference,
        member(make, conference, "Anna Arts"),
        member(make, conference, "Ben Bakker"),
        member(make, conference, "Carl Cohen"),
    )


def count_introductions() -> int:
    return db.session.scalar(select(func.count()).select_from(Introduction))


def test_brokered_introduction_needs_both_yeses(make, scene):
    conference, anna, ben, carl = scene
    make.introduction(conference, carl, anna)
    make.introduction(conference, carl, ben)
    intro = services.introduce_people(
        carl, anna, ben, conference, "You both run registries.", now=NOW, teller=teller()
    )
    assert intro.is_brokered and intro.a_answer is intro.b_answer is Answer.PENDING
    assert notes_of(anna) == ["Carl Cohen would like to introduce you to Ben Bakker at Heart Days."]
    answers.accept_introduction(intro, anna, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.PENDING
    with pytest.raises(IntroductionRefused, match="already said yes"):
        answers.accept_introduction(intro, anna, now=NOW, teller=teller())
    answers.accept_introduction(intro, ben, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.ACCEPTED
    assert "now connected, thanks to Carl Cohen" in notes_of(anna)[-1]
    assert "now connected, thanks to Carl Cohen" in notes_of(ben)[-1]
    assert notes_of(carl)[-1].endswith("Thank you for introducing them.")


def test_brokered_decline_tells_the_other_gently_and_the_introducer(make, scene):
    conference, anna, ben, carl = scene
    make.introduction(conference, carl, anna)
    make.introduction(conference, carl, ben)
    intro = services.introduce_people(carl, anna, ben, conference, "Hi", now=NOW, teller=teller())
    answers.accept_introduction(intro, anna, now=NOW, teller=teller())
    answers.decline_introduction(intro, ben, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.DECLINED
    assert notes_of(anna)[-1].endswith("Ben is not available right now.")
    assert notes_of(carl)[-1] == (
        "The introduction of Anna Arts and Ben Bakker won't go ahead this time. "
        "Thank you for thinking of them."
    )
    assert not any("declin" in text for text in notes_of(anna) + notes_of(carl))
    with pytest.raises(IntroductionRefused, match="can't be introduced right now"):
        services.introduce_people(carl, anna, ben, conference, "Again?", now=NOW, teller=teller())


def test_brokered_refusals(make, scene):
    conference, anna, ben, carl = scene
    dora = member(make, conference, "Dora Dekker")
    make.introduction(conference, carl, anna)
    make.introduction(conference, carl, ben)

    def introduce(first, second, note="Meet"):
        services.introduce_people(carl, first, second, conference, note, now=NOW, teller=teller())

    with pytest.raises(IntroductionRefused, match="two different people"):
        introduce(anna, anna)
    with pytest.raises(IntroductionRefused, match="other than yourself"):
        introduce(carl, anna)
    with pytest.raises(PersonUnavailable):
        introduce(anna, dora)  # not one of Carl's connections
    with pytest.raises(
        IntroductionRefused, match="Please keep your note to 500 characters or fewer"
    ):
        introduce(anna, ben, "y" * 501)
    db.session.add(Block(blocker_id=ben.id, blocked_id=anna.id))
    db.session.flush()
    with pytest.raises(IntroductionRefused, match="can't be introduced here"):
        introduce(anna, ben)
    db.session.execute(Block.__table__.delete())
    make.introduction(conference, anna, ben, status=IntroductionStatus.PENDING)
    with pytest.raises(IntroductionRefused, match="already waiting"):
        introduce(anna, ben)
    assert count_introductions() == 3


def test_brokering_people_already_connected(make, scene):
    conference, anna, ben, carl = scene
    for a, b in ((carl, anna), (carl, ben), (anna, ben)):
        make.introduction(conference, a, b)
    with pytest.raises(IntroductionRefused, match="already connected"):
        services.introduce_people(carl, anna, ben, conference, "Hi", now=NOW, teller=teller())


def test_the_introducer_keeps_each_outcome_and_never_learns_who_said_no(app, make, scene):
    from test_introductions_support import client_for

    conference, anna, ben, carl = scene
    dora = member(make, conference, "Dora Dekker")
    for person in (anna, ben, dora):
        make.introduction(conference, carl, person)
    declined = services.introduce_people(
        carl, anna, ben, conference, "Hi", now=NOW, teller=teller()
    )
    withdrawn = services.introduce_people(
        carl, anna, dora, conference, "Hi", now=NOW, teller=teller()
    )
    answers.accept_introduction(declined, anna, now=NOW, teller=teller())
    answers.decline_introduction(declined, ben, now=NOW, teller=teller())
    answers.withdraw_introduction(withdrawn, carl, now=NOW)
    db.session.commit()
    page = client_for(app, carl, make.PASSWORD).get("/c/brk/introductions").text
    made = page[page.index("Introductions you made") :]
    assert "Anna Arts and Ben Bakker" in made and "Won't go ahead this time" in made
    assert "Anna Arts and Dora Dekker" in made and "You withdrew it" in made
    assert "Your requests" not in page
    assert "declin" not in page.lower() and "not available" not in page
