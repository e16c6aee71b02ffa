"""Introduction services without HTTP: requests, answers, brokered double opt-in, cool-down,
the daily cap and the thread."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from test_introductions_support import NOW, member, notes_of, teller

from confnet.accounts.services import safe_link
from confnet.extensions import db
from confnet.introductions import answers, messages, services
from confnet.introductions.notify import silent_teller
from confnet.introductions.rules import DAILY_CAP, IntroductionRefused, PersonUnavailable
from confnet.models import (
    Answer,
    Block,
    Introduction,
    IntroductionStatus,
    Membership,
    Message,
    Notification,
    Role,
    Visibility,
)


@pytest.fixture
def scene(make):
    conference = make.conference("intro", name="Heart Days")
    anna = member(make, conference, "Anna Arts", organization="UMC")
    ben = member(make, conference, "Ben Bakker", organization="Erasmus")
    carl = member(make, conference, "Carl Cohen")
    return conference, anna, ben, carl


def ask(requester, person, conference, message="Let's talk about trials", now=NOW):
    return services.request_introduction(
        requester, person, conference, message, now=now, teller=teller()
    )


def count_introductions() -> int:
    return db.session.scalar(select(func.count()).select_from(Introduction))


def test_a_request_waits_for_the_other_and_tells_them(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference, "  Both in heart failure trials.\r\nCoffee?  ")
    assert intro.status is IntroductionStatus.PENDING
    assert intro.answer_of(anna.id) is Answer.ACCEPTED
    assert intro.answer_of(ben.id) is Answer.PENDING
    assert intro.message == "Both in heart failure trials.\nCoffee?"
    assert (intro.person_a_id, intro.person_b_id) == tuple(sorted((anna.id, ben.id)))
    assert notes_of(ben) == ["Anna Arts would like to be introduced to you at Heart Days."]
    assert notes_of(anna) == []


def test_asking_yourself_is_refused(scene):
    conference, anna, _, _ = scene
    with pytest.raises(IntroductionRefused, match="to yourself"):
        ask(anna, anna, conference)
    assert count_introductions() == 0


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Please write a short message saying why."),
        ("   \n ", "Please write a short message saying why."),
        ("x" * 501, "Please keep your message to 500 characters or fewer. (It has 501.)"),
    ],
)
def test_a_message_is_required_and_short(scene, text, error):
    conference, anna, ben, _ = scene
    with pytest.raises(IntroductionRefused) as refused:
        ask(anna, ben, conference, text)
    assert refused.value.message == error
    assert count_introductions() == 0
    assert notes_of(ben) == []


def test_500_characters_are_fine(scene):
    conference, anna, ben, _ = scene
    assert len(ask(anna, ben, conference, "x" * 500).message) == 500


@pytest.mark.parametrize(
    "how", ["hidden by organizers", "visibility hidden", "connections only", "not a member"]
)
def test_people_out_of_reach_are_unavailable(make, scene, how):
    conference, anna, ben, _ = scene
    membership = db.session.scalar(select(Membership).filter_by(user_id=ben.id))
    if how == "hidden by organizers":
        membership.profile_hidden_at = NOW
    elif how == "visibility hidden":
        membership.visibility = Visibility.HIDDEN
    elif how == "connections only":
        membership.visibility = Visibility.CONNECTIONS
    else:
        db.session.delete(membership)
    db.session.flush()
    with pytest.raises(PersonUnavailable):
        ask(anna, ben, conference)
    assert count_introductions() == 0


@pytest.mark.parametrize("direction", ["I blocked them", "they blocked me"])
def test_blocks_make_people_unavailable_both_ways(scene, direction):
    conference, anna, ben, _ = scene
    blocker, blocked = (anna, ben) if direction == "I blocked them" else (ben, anna)
    db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    db.session.flush()
    with pytest.raises(PersonUnavailable):
        ask(anna, ben, conference)


def test_organizers_see_hidden_profiles_but_cannot_approach_them(make, scene):
    conference, anna, ben, _ = scene
    boss = member(make, conference, "Olga Organizer", role=Role.ORGANIZER)
    ben.memberships[0].visibility = Visibility.HIDDEN
    db.session.flush()
    with pytest.raises(PersonUnavailable):
        ask(boss, ben, conference)
    assert ask(boss, anna, conference).requested_by_id == boss.id


def test_strangers_cannot_ask(make, scene):
    conference, anna, _, _ = scene
    stranger = make.user()
    with pytest.raises(PersonUnavailable):
        ask(stranger, anna, conference)


def test_duplicates_are_refused_with_a_pointer(scene):
    conference, anna, ben, _ = scene
    ask(anna, ben, conference)
    with pytest.raises(IntroductionRefused, match="already asked Ben Bakker"):
        ask(anna, ben, conference)
    with pytest.raises(IntroductionRefused, match="Anna Arts has already asked .* accept"):
        ask(ben, anna, conference)
    assert count_introductions() == 1


def test_already_connected(make, scene):
    conference, anna, ben, _ = scene
    make.introduction(conference, anna, ben)
    with pytest.raises(IntroductionRefused, match="You are already connected"):
        ask(anna, ben, conference)


def test_accepting_connects_and_tells_the_requester(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference)
    answers.accept_introduction(intro, ben, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.ACCEPTED
    assert intro.decided_at == NOW
    assert notes_of(anna)[-1].startswith("Ben Bakker accepted your introduction")
    with pytest.raises(IntroductionRefused, match="already connected"):
        answers.accept_introduction(intro, ben, now=NOW, teller=teller())


def test_a_decline_is_told_gently_and_cools_down(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference)
    answers.decline_introduction(intro, ben, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.DECLINED
    assert notes_of(anna) == ["Ben Bakker is not available right now."]
    with pytest.raises(IntroductionRefused) as refused:
        ask(anna, ben, conference, now=NOW + timedelta(days=89))
    assert refused.value.message == (
        "Ben Bakker is not available right now; you can ask again after 18 June 2027."
    )
    assert "declin" not in refused.value.message
    with pytest.raises(IntroductionRefused, match="no longer open|already answered"):
        answers.decline_introduction(intro, ben, now=NOW, teller=teller())
    later = ask(anna, ben, conference, now=NOW + timedelta(days=90, minutes=1))
    assert later.status is IntroductionStatus.PENDING


def test_the_pair_rests_whoever_asks(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference)
    answers.decline_introduction(intro, ben, now=NOW, teller=teller())
    with pytest.raises(IntroductionRefused) as refused:
        ask(ben, anna, conference, now=NOW + timedelta(days=1))
    assert refused.value.message == (
        "You said no to an introduction with Anna Arts recently; "
        "you can ask again after 18 June 2027."
    )


def test_withdrawing(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference)
    with pytest.raises(IntroductionRefused, match="Only the person who asked"):
        answers.withdraw_introduction(intro, ben, now=NOW)
    answers.withdraw_introduction(intro, anna, now=NOW)
    assert intro.status is IntroductionStatus.WITHDRAWN
    with pytest.raises(IntroductionRefused, match="withdrawn"):
        answers.accept_introduction(intro, ben, now=NOW, teller=teller())
    with pytest.raises(IntroductionRefused, match="no longer open"):
        answers.withdraw_introduction(intro, anna, now=NOW)
    assert ask(anna, ben, conference).status is IntroductionStatus.PENDING  # no cool-down


def test_the_requester_cannot_answer_their_own_request(scene):
    conference, anna, ben, _ = scene
    intro = ask(anna, ben, conference)
    with pytest.raises(IntroductionRefused, match="already said yes"):
        answers.accept_introduction(intro, anna, now=NOW, teller=teller())
    assert intro.status is IntroductionStatus.PENDING


def test_daily_cap_counts_a_rolling_day_including_withdrawn_and_brokered(make, scene):
    conference, anna, ben, carl = scene
    others = [member(make, conference) for _ in range(DAILY_CAP + 1)]
    for n, person in enumerate(others[: DAILY_CAP - 1]):
        intro = ask(anna, person, conference, now=NOW + timedelta(minutes=n))
        if n == 0:
            answers.withdraw_introduction(intro, anna, now=NOW)
    make.introduction(conference, anna, ben)
    make.introduction(conference, anna, carl)
    services.introduce_people(
        anna, ben, carl, conference, "Meet!", now=NOW + timedelta(hours=1), teller=teller()
    )
    with pytest.raises(IntroductionRefused) as refused:
        ask(anna, others[-1], conference, now=NOW + timedelta(hours=2))
    assert "10 introduction requests in the last 24 hours" in refused.value.message
    assert "Sun 21 Mar 13:00" in refused.value.message  # the oldest one + 24 h, Amsterdam time
    assert ask(anna, others[-1], conference, now=NOW + timedelta(hours=24, seconds=1))


def test_messages_only_in_an_open_connection(make, scene):
    conference, anna, ben, carl = scene
    intro = make.introduction(conference, anna, ben)
    sent = messages.post_message(intro, anna, " Hello <b>Ben</b> ", now=NOW, teller=teller())
    assert sent.body == "Hello <b>Ben</b>"
    assert notes_of(ben) == ["Anna Arts sent you a message on confnet."]  # never the text
    with pytest.raises(
        IntroductionRefused, match="Please keep your message to 1,000 characters or fewer"
    ):
        messages.post_message(intro, ben, "z" * 1001, now=NOW, teller=teller())
    with pytest.raises(IntroductionRefused, match="closed"):
        messages.post_message(intro, carl, "I'm not in it", now=NOW, teller=teller())
    db.session.add(Block(blocker_id=ben.id, blocked_id=anna.id))
    db.session.flush()
    with pytest.raises(IntroductionRefused, match="closed"):
        messages.post_message(intro, anna, "Still there?", now=NOW, teller=teller())
    assert [m.body for m in messages.thread_of(intro)] == ["Hello <b>Ben</b>"]
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("https://orcid.org/0000-0002", "https://orcid.org/0000-0002"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("javascript:alert(1)", None),
        ("JavaScript://example.org/%0aalert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("https://exa mple.org", None),
        ("ftp://example.org/file", None),
        ("https://", None),
        ("https://[::1", None),
        ("https://example.org/" + "a" * 400, None),
    ],
)
def test_only_plain_http_links_become_links(text, href):
    assert safe_link(text) == href


def test_silent_teller_stores_notifications_without_paths(scene):
    conference, anna, ben, _ = scene
    services.request_introduction(anna, ben, conference, "Hi", now=NOW, teller=silent_teller())
    assert notes_of(ben) == ["Anna Arts would like to be introduced to you at Heart Days."]


def test_the_same_message_twice_is_stored_once(make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben)
    first = messages.post_message(intro, anna, "See you at 10?", now=NOW, teller=teller())
    later = NOW + timedelta(minutes=2)
    again = messages.post_message(intro, anna, " See you at 10?\r\n", now=later, teller=teller())
    assert again.id == first.id
    assert [m.body for m in messages.thread_of(intro)] == ["See you at 10?"]
    assert notes_of(ben) == ["Anna Arts sent you a message on confnet."]


def test_a_repeat_is_new_when_late_or_not_the_latest_or_from_the_other(make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben)
    post = messages.post_message
    post(intro, anna, "Thanks!", now=NOW, teller=teller())
    post(intro, anna, "Thanks!", now=NOW + messages.REPEAT_WINDOW, teller=teller())  # late
    post(intro, ben, "Thanks!", now=NOW + timedelta(minutes=6), teller=teller())  # the other
    post(intro, anna, "Room 2?", now=NOW + timedelta(minutes=7), teller=teller())
    post(intro, anna, "Thanks!", now=NOW + timedelta(minutes=8), teller=teller())  # not latest
    bodies = [(m.sender_id, m.body) for m in messages.thread_of(intro)]
    assert bodies == [
        (anna.id, "Thanks!"),
        (anna.id, "Thanks!"),
        (ben.id, "Thanks!"),
        (anna.id, "Room 2?"),
        (anna.id, "Thanks!"),
    ]
    assert len(notes_of(ben)) == 1  # one unread notification for the whole conversation


def test_a_busy_conversation_notifies_once_an_hour_while_unread(make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben)
    for minutes in (0, 10, 50):
        at = NOW + timedelta(minutes=minutes)
        messages.post_message(intro, anna, f"Note {minutes}", now=at, teller=teller())
    assert len(notes_of(ben)) == 1
    messages.post_message(
        intro, anna, "An hour later", now=NOW + timedelta(minutes=61), teller=teller()
    )
    assert len(notes_of(ben)) == 2
    for note in db.session.scalars(select(Notification).filter_by(user_id=ben.id)):
        note.read_at = NOW + timedelta(minutes=62)
    messages.post_message(intro, anna, "Read it?", now=NOW + timedelta(minutes=63), teller=teller())
    assert len(notes_of(ben)) == 3  # once read, the next message notifies again
