"""Booking and answering meetings without HTTP: the rules, the messages, what is saved and who
is told. The conference spans the switch to summer time (Sunday 28 March 2027, Amsterdam)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.meetings import answers, busy, services
from confnet.meetings.points import add_meeting_point
from confnet.meetings.services import MeetingRefused, MeetingRequest
from confnet.models import (
    ItemKind,
    Meeting,
    MeetingStatus,
    Notification,
    Seat,
    SeatStatus,
    Speaker,
    Star,
)
from confnet.notify import Messenger, silent_messenger

AMS = ZoneInfo("Europe/Amsterdam")
FRI, SAT, SUN = date(2027, 3, 26), date(2027, 3, 27), date(2027, 3, 28)
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
PATH = "/c/medconf/meetings"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMS).astimezone(UTC)


def ask(day=SAT, hour=10, minute=0, minutes=30, point=None, place="Coffee bar", note=""):
    return MeetingRequest(day, time(hour, minute), minutes, point, place, note)


class Outbox:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.sent.append((recipient, subject))


def quiet() -> Teller:
    return Teller(silent_messenger(), meetings=PATH)


@pytest.fixture
def conference(make):
    return make.conference(
        "medconf", name="MedConf 2027", starts_on=FRI, days=3, venue="De Doelen", city="Rotterdam"
    )


@pytest.fixture
def people(make, conference):
    """Anna and Bob (connected), Carl (connected to both)."""
    anna = make.user(name="Anna de Vries")
    bob = make.user(name="Bob Jansen")
    carl = make.user(name="Carl Smit")
    for person in (anna, bob, carl):
        make.member(person, conference)
    make.introduction(conference, anna, bob)
    make.introduction(conference, carl, bob)
    make.introduction(conference, anna, carl)
    return anna, bob, carl


def link(conference, a, b):
    from confnet.permissions import connection_between

    return connection_between(a, b)


def book(conference, a, b, request=None, now=NOW, teller=None):
    return services.book_meeting(
        link(conference, a, b), a, conference, request or ask(), now=now, teller=teller or quiet()
    )


def meetings() -> int:
    return db.session.scalar(select(func.count()).select_from(Meeting))


def session(make, conference, title, starts_at, minutes=45, **kw):
    item = make.item(conference, title=title, starts_at=starts_at, minutes=minutes, **kw)
    make.publish(conference)
    return item


def frame(make, conference, day):
    """Sessions at 09:00 and 17:45 on ``day``: its hours are then 09:00 to 18:00."""
    session(make, conference, "Registration", at(day, 9), minutes=15)
    session(make, conference, "Closing", at(day, 17, 45), minutes=15)


# --- booking ---------------------------------------------------------------------------------


def test_booking_proposes_a_meeting_to_the_other_person_and_tells_them(conference, people):
    anna, bob, _ = people
    outbox = Outbox()
    tell = Teller(Messenger(outbox, "https://confnet.test"), meetings=PATH)
    meeting = book(conference, anna, bob, ask(SUN, 10, minutes=45, note="Trial sites"), teller=tell)
    assert (meeting.host_id, meeting.guest_id, meeting.awaiting_id) == (anna.id, bob.id, bob.id)
    assert meeting.status is MeetingStatus.PROPOSED and meeting.sequence == 0
    assert meeting.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert meeting.ends_at == datetime(2027, 3, 28, 8, 45, tzinfo=UTC)
    assert (meeting.place, meeting.note, meeting.where) == (
        "Coffee bar",
        "Trial sites",
        "Coffee bar",
    )
    text = "Anna de Vries proposes to meet: Sun 28 Mar 10:00–10:45 CEST, Coffee bar."
    note = db.session.scalar(select(Notification).filter_by(user_id=bob.id))
    assert (note.text, note.url) == (text, PATH)
    assert outbox.sent == [(bob.email, text)]


def test_a_meeting_at_a_meeting_point(conference, people):
    anna, bob, _ = people
    lounge = add_meeting_point(conference, "Meeting lounge", "Level 2, by the stairs")
    meeting = book(conference, anna, bob, ask(point=lounge.id, place="ignored"))
    assert (meeting.meeting_point_id, meeting.place, meeting.where) == (
        lounge.id,
        "",
        "Meeting lounge",
    )


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ask(FRI, 9, minutes=25), "Choose a length of 15, 20, 30, 45 or 60 minutes."),
        (ask(date(2027, 3, 29), 10), "Choose one of the conference's days."),
        (ask(date(2027, 3, 25), 10), "Choose one of the conference's days."),
        (
            ask(SUN, 2, 30),
            "02:30 doesn't exist on Sunday 28 March: the clocks go forward then. "
            "Choose another time.",
        ),
        (
            ask(SAT, 8, 45),
            "Meetings fit within the conference's hours: 09:00–18:00 on Saturday 27 March.",
        ),
        (
            ask(SUN, 17, 45),
            "Meetings fit within the conference's hours: 09:00–18:00 on Sunday 28 March.",
        ),
        (ask(place="  "), "Say where you'd like to meet, or choose a meeting point."),
        (ask(place="x" * 161), "Keep the place within 160 characters."),
        (ask(note="x" * 501), "Keep the note within 500 characters."),
        (ask(point=2**31 - 1), "That meeting point doesn't exist (any more). Choose another."),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_saved(conference, people, request_, message):
    anna, bob, _ = people
    with pytest.raises(MeetingRefused) as refused:
        book(conference, anna, bob, request_)
    assert refused.value.message == message
    assert meetings() == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_past_is_refused(conference, people):
    anna, bob, _ = people
    with pytest.raises(MeetingRefused, match="That time has already passed"):
        book(conference, anna, bob, ask(SAT, 10), now=at(SAT, 10))
    assert book(conference, anna, bob, ask(SAT, 10), now=at(SAT, 9, 59)).id


def test_a_meeting_point_of_another_conference_is_unknown_here(make, conference, people):
    anna, bob, _ = people
    elsewhere = add_meeting_point(make.conference(), "Lounge")
    with pytest.raises(MeetingRefused, match="doesn't exist"):
        book(conference, anna, bob, ask(point=elsewhere.id))


def test_the_hours_come_from_the_published_schedule(make, conference, people):
    anna, bob, _ = people
    session(make, conference, "Early bird", at(FRI, 8), minutes=30)
    session(make, conference, "Late show", at(FRI, 19), minutes=30)
    assert book(conference, anna, bob, ask(FRI, 8, minutes=15)).id
    assert book(conference, anna, bob, ask(FRI, 19, 15, minutes=15)).id
    with pytest.raises(MeetingRefused, match="08:00–19:30 on Friday 26 March"):
        book(conference, anna, bob, ask(FRI, 19, 15, minutes=30))
    windows = busy.conference_windows(conference)
    assert [(w.opens_at, w.closes_at) for w in windows] == [
        (at(FRI, 8), at(FRI, 19, 30)),
        (at(SAT, 9), at(SAT, 18)),
        (at(SUN, 9), at(SUN, 18)),
    ]


def test_text_is_kept_as_typed_without_control_characters(conference, people):
    anna, bob, _ = people
    request = ask(place=" <b>Bar</b>\x00 \n by Hall A ", note="<script>alert(1)</script>\r\nok\x07")
    meeting = book(conference, anna, bob, request)
    assert meeting.place == "<b>Bar</b> by Hall A"
    assert meeting.note == "<script>alert(1)</script>\nok"


# --- clashes ---------------------------------------------------------------------------------


def test_a_clash_in_my_own_agenda_is_named(make, conference, people):
    anna, bob, _ = people
    frame(make, conference, SAT)
    talk = session(make, conference, "Heart failure update", at(SAT, 10))
    db.session.add(Star(user_id=anna.id, item_id=talk.id))
    with pytest.raises(MeetingRefused) as refused:
        book(conference, anna, bob, ask(SAT, 10, 30))
    assert refused.value.message == (
        "That time clashes with “Heart failure update” (10:00–10:45) in your agenda."
    )
    assert book(conference, anna, bob, ask(SAT, 10, 45)).id  # touching is fine


def test_the_other_persons_agenda_is_not_revealed(make, conference, people):
    anna, bob, _ = people
    frame(make, conference, SAT)
    talk = session(make, conference, "Heart failure update", at(SAT, 10))
    db.session.add(Star(user_id=bob.id, item_id=talk.id))
    with pytest.raises(MeetingRefused) as refused:
        book(conference, anna, bob, ask(SAT, 10, 30))
    assert refused.value.message == "Bob Jansen isn't free then. Choose another time."


def test_what_fills_a_persons_time(make, conference, people):
    anna, bob, _ = people
    starred = session(make, conference, "Starred", at(FRI, 10))
    session(
        make,
        conference,
        "Spoken",
        at(FRI, 11),
        speakers=[Speaker(conference_id=conference.id, name="Bob", user_id=bob.id)],
    )
    seated = session(make, conference, "Seated", at(FRI, 12), kind=ItemKind.WORKSHOP)
    waiting = session(make, conference, "Waiting", at(FRI, 13), kind=ItemKind.WORKSHOP)
    dropped = session(make, conference, "Dropped", at(FRI, 14))
    db.session.add_all(
        [
            Star(user_id=bob.id, item_id=starred.id),
            Star(user_id=bob.id, item_id=dropped.id),
            Seat(item_id=seated.id, user_id=bob.id, status=SeatStatus.CONFIRMED),
            Seat(item_id=waiting.id, user_id=bob.id, status=SeatStatus.WAITLISTED),
        ]
    )
    dropped.cancelled = True
    make.publish(conference)
    found = busy.busy_times([anna.id, bob.id], (at(FRI, 0), at(SUN, 23)))
    assert [(b.user_id, b.title) for b in found] == [
        (bob.id, "“Starred”"),
        (bob.id, "“Spoken”"),
        (bob.id, "“Seated”"),
    ]


def test_proposed_and_accepted_meetings_fill_time_but_not_declined_ones(conference, people):
    anna, bob, carl = people
    first = book(conference, carl, bob, ask(SAT, 10))
    with pytest.raises(MeetingRefused, match="Bob Jansen isn't free then"):
        book(conference, anna, bob, ask(SAT, 10, 15))
    with pytest.raises(MeetingRefused) as refused:
        book(conference, bob, anna, ask(SAT, 10, 15))
    assert (
        refused.value.message == "That time clashes with your meeting with Carl Smit (10:00–10:30)."
    )
    answers.decline_meeting(first, bob, conference, now=NOW, teller=quiet())
    assert book(conference, anna, bob, ask(SAT, 10, 15)).id


# --- answers ---------------------------------------------------------------------------------


def test_accepting_puts_it_in_both_agendas_and_tells_the_host(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    outbox = Outbox()
    tell = Teller(Messenger(outbox, ""), meetings=PATH)
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=tell)
    assert (meeting.status, meeting.awaiting_id, meeting.sequence) == (
        MeetingStatus.ACCEPTED,
        None,
        0,
    )
    assert outbox.sent == [
        (anna.email, "Bob Jansen accepted to meet: Sat 27 Mar 10:00–10:30 CET, Coffee bar.")
    ]


def test_only_the_awaiting_person_answers(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    for act in (answers.accept_meeting, answers.decline_meeting):
        with pytest.raises(MeetingRefused, match="no longer waiting for your answer"):
            act(meeting, anna, conference, now=NOW, teller=quiet())
    with pytest.raises(MeetingRefused, match="no longer waiting"):
        services.propose_time(meeting, anna, conference, ask(SAT, 11), now=NOW, teller=quiet())
    assert meeting.status is MeetingStatus.PROPOSED and meeting.sequence == 0


def test_a_meeting_whose_time_passed_cannot_be_accepted(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob, ask(SAT, 10))
    with pytest.raises(MeetingRefused) as refused:
        answers.accept_meeting(meeting, bob, conference, now=at(SAT, 10, 5), teller=quiet())
    assert refused.value.message == "This meeting's time has passed. Propose another time instead."
    assert meeting.status is MeetingStatus.PROPOSED


def test_accepting_checks_sessions_and_accepted_meetings_again(make, conference, people):
    anna, bob, carl = people
    meeting = book(conference, anna, bob, ask(SAT, 10))
    frame(make, conference, SAT)
    talk = session(make, conference, "Starred later", at(SAT, 10, 15))
    db.session.add(Star(user_id=bob.id, item_id=talk.id))
    with pytest.raises(MeetingRefused, match="clashes with “Starred later” .* in your agenda"):
        answers.accept_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    db.session.delete(db.session.get(Star, (bob.id, talk.id)))
    # Two overlapping proposals (made before either was accepted): the first accepted wins.
    other = Meeting(
        conference_id=conference.id,
        introduction_id=link(conference, carl, bob).id,
        host_id=carl.id,
        guest_id=bob.id,
        awaiting_id=bob.id,
        starts_at=at(SAT, 10, 15),
        ends_at=at(SAT, 10, 45),
        place="Hall",
    )
    db.session.add(other)
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    with pytest.raises(MeetingRefused, match="clashes with your meeting with Anna de Vries"):
        answers.accept_meeting(other, bob, conference, now=NOW, teller=quiet())
    assert other.status is MeetingStatus.PROPOSED


def test_a_counter_proposal_hands_the_answer_back(conference, people):
    anna, bob, _ = people
    lounge = add_meeting_point(conference, "Meeting lounge")
    meeting = book(conference, anna, bob, ask(SAT, 10, note="Hello"))
    request = ask(SAT, 10, 15, minutes=60, point=lounge.id, note="Later?")
    services.propose_time(meeting, bob, conference, request, now=NOW, teller=quiet())
    assert meeting.awaiting_id == anna.id and meeting.sequence == 1
    assert (meeting.starts_at, meeting.ends_at) == (at(SAT, 10, 15), at(SAT, 11, 15))
    assert (meeting.where, meeting.place, meeting.note) == ("Meeting lounge", "", "Later?")
    services.propose_time(meeting, anna, conference, ask(SUN, 9), now=NOW, teller=quiet())
    assert meeting.awaiting_id == bob.id and meeting.sequence == 2
    assert meeting.where == "Coffee bar"


def test_a_refused_counter_proposal_changes_nothing(conference, people):
    anna, bob, carl = people
    meeting = book(conference, anna, bob, ask(SAT, 10))
    book(conference, carl, bob, ask(SAT, 14))
    with pytest.raises(MeetingRefused, match="clashes with your meeting with Carl Smit"):
        services.propose_time(meeting, bob, conference, ask(SAT, 14), now=NOW, teller=quiet())
    db.session.refresh(meeting)
    assert (meeting.starts_at, meeting.awaiting_id, meeting.sequence) == (at(SAT, 10), bob.id, 0)


def test_the_time_already_proposed_is_no_counter_proposal(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob, ask(SAT, 10))
    same = ask(SAT, 10, place="Somewhere else", note="Same time")
    with pytest.raises(MeetingRefused, match="That's the time already proposed — choose another"):
        services.propose_time(meeting, bob, conference, same, now=NOW, teller=quiet())
    assert meeting.awaiting_id == bob.id and meeting.sequence == 0
    services.propose_time(
        meeting, bob, conference, ask(SAT, 10, minutes=45), now=NOW, teller=quiet()
    )
    assert (meeting.ends_at, meeting.awaiting_id) == (at(SAT, 10, 45), anna.id)


def test_cancelling_by_either_person_until_the_meeting_is_over(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    answers.accept_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    answers.cancel_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    assert (meeting.status, meeting.sequence, meeting.awaiting_id) == (
        MeetingStatus.CANCELLED,
        1,
        None,
    )
    with pytest.raises(MeetingRefused, match="already cancelled"):
        answers.cancel_meeting(meeting, anna, conference, now=NOW, teller=quiet())
    later = book(conference, anna, bob, ask(SUN, 10))
    with pytest.raises(MeetingRefused, match="This meeting is over"):
        answers.cancel_meeting(later, anna, conference, now=at(SUN, 10, 30), teller=quiet())
    answers.cancel_meeting(later, anna, conference, now=at(SUN, 10, 29), teller=quiet())
    notes = db.session.scalars(select(Notification.text).filter_by(user_id=anna.id)).all()
    assert "Bob Jansen cancelled your meeting: Sat 27 Mar 10:00–10:30 CET." in notes


def test_declining(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    answers.decline_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    # Who said no stays recorded, so that the pages word it for each of the two.
    assert (meeting.status, meeting.awaiting_id) == (MeetingStatus.DECLINED, bob.id)
    assert answers.said_no(meeting, bob.id) and not answers.said_no(meeting, anna.id)
    with pytest.raises(MeetingRefused, match="no longer waiting"):
        answers.accept_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    with pytest.raises(MeetingRefused, match="not to be possible") as refused:
        answers.cancel_meeting(meeting, anna, conference, now=NOW, teller=quiet())
    assert "declined" not in refused.value.message.lower()


def test_the_proposer_is_told_gently_never_declined(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    answers.decline_meeting(meeting, bob, conference, now=NOW, teller=quiet())
    notes = db.session.scalars(select(Notification.text).filter_by(user_id=anna.id)).all()
    assert notes == ["Not possible — Bob Jansen can't make Sat 27 Mar 10:00–10:30 CET."]


def test_withdrawing_a_proposal_is_not_a_cancellation(conference, people):
    anna, bob, _ = people
    meeting = book(conference, anna, bob)
    answers.cancel_meeting(meeting, anna, conference, now=NOW, teller=quiet())
    assert meeting.status is MeetingStatus.CANCELLED and answers.is_withdrawn(meeting)
    notes = db.session.scalars(select(Notification.text).filter_by(user_id=bob.id)).all()
    assert notes[-1] == "Anna de Vries withdrew the proposal to meet on Sat 27 Mar 10:00–10:30 CET."
    assert not any("cancelled" in note for note in notes)
    with pytest.raises(MeetingRefused, match="This proposal was already withdrawn."):
        answers.cancel_meeting(meeting, anna, conference, now=NOW, teller=quiet())


# --- suggestions -----------------------------------------------------------------------------


def test_suggested_times_avoid_both_agendas(make, conference, people):
    anna, bob, carl = people
    talk = session(make, conference, "Talk", at(FRI, 9), minutes=9 * 60)  # Friday 09:00–18:00
    db.session.add(Star(user_id=anna.id, item_id=talk.id))
    book(conference, carl, bob, ask(SAT, 9, minutes=60))
    starts = busy.suggest_starts(conference, [anna.id, bob.id], 30, NOW)
    assert len(starts) == 6
    assert all(s.astimezone(AMS).date() != FRI for s in starts)
    assert at(SAT, 9) not in starts and at(SAT, 9, 30) not in starts
    assert at(SAT, 10) in starts  # the first free quarter hour of Saturday morning
    assert all(s + timedelta(minutes=30) <= at(SUN, 18) for s in starts)


def test_a_connection_closed_after_the_page_was_checked_books_nothing(conference, people):
    """The view checks ``can_book_meeting`` before the service locks both people; a block made
    in between must still stop the booking (the service re-reads the connection)."""
    from confnet.introductions.moderation import block_person

    anna, bob, _ = people
    connection = link(conference, anna, bob)  # as the view saw it
    block_person(bob, anna, now=NOW)
    with pytest.raises(MeetingRefused, match="no longer book a meeting with Bob Jansen"):
        services.book_meeting(connection, anna, conference, ask(), now=NOW, teller=quiet())
    assert meetings() == 0


def test_new_york_meetings_follow_its_own_switch_to_summer_time(make):
    """America/New_York moves its clocks on 14 March 2027, two weeks before Europe: a wall time
    is stored at the UTC moment of that day's offset, and the skipped hour is refused there."""
    ny = ZoneInfo("America/New_York")
    conference = make.conference("nyconf", tz="America/New_York", starts_on=date(2027, 3, 13))
    anna, bob = make.user(name="Anna Ames"), make.user(name="Bob Brown")
    for person in (anna, bob):
        make.member(person, conference)
    make.introduction(conference, anna, bob)
    early = datetime(2027, 3, 1, tzinfo=UTC)
    saturday = book(conference, anna, bob, ask(date(2027, 3, 13), 10), now=early)
    sunday = book(conference, anna, bob, ask(date(2027, 3, 14), 10), now=early)
    assert saturday.starts_at == datetime(2027, 3, 13, 15, 0, tzinfo=UTC)  # EST, UTC-5
    assert sunday.starts_at == datetime(2027, 3, 14, 14, 0, tzinfo=UTC)  # EDT, UTC-4
    assert services.when(saturday, conference).endswith("EST")
    assert services.when(sunday, conference).endswith("EDT")
    with pytest.raises(MeetingRefused, match="02:30 doesn't exist on Sunday 14 March"):
        book(conference, anna, bob, ask(date(2027, 3, 14), 2, 30), now=early)
    starts = busy.suggest_starts(conference, [anna.id, bob.id], 30, early)
    local = [start.astimezone(ny) for start in starts]
    assert local and all(time(9) <= t.time() and t.time() <= time(17, 30) for t in local)
    assert {t.date() for t in local} == {date(2027, 3, 13), date(2027, 3, 14), date(2027, 3, 15)}
