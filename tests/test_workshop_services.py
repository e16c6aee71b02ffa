"""Workshop sign-ups, waitlists, promotion and lotteries, without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confnet.extensions import db
from confnet.mail import OutboxMailer
from confnet.models import ItemKind, Notification, OutboxMessage, Seat, SeatStatus, SignupMode
from confnet.workshops import organizer, services
from confnet.workshops.notify import Notifier

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
FRI_10 = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def conference(make):
    return make.conference()


@pytest.fixture
def notifier():
    return Notifier(
        mailer=OutboxMailer(log_bodies=False),
        link=lambda item: f"/s/{item.id}",
        base_url="http://confnet.test",
    )


def workshop(make, conference, capacity=2, starts_at=FRI_10, **kw):
    item = make.item(
        conference,
        kind=ItemKind.WORKSHOP,
        capacity=capacity,
        signup_required=True,
        starts_at=starts_at,
        minutes=90,
        **kw,
    )
    make.publish(conference)
    return item


def sign_up(user, item, conference, now=NOW):
    return services.sign_up(user, item, now=now, tz=conference.tz)


def test_seats_then_waitlist_in_arrival_order(make, conference):
    item = workshop(make, conference, capacity=2)
    people = [make.user() for _ in range(4)]
    outcomes = [sign_up(p, item, conference) for p in people]
    assert [o.seat.status for o in outcomes] == [SeatStatus.CONFIRMED] * 2 + [
        SeatStatus.WAITLISTED
    ] * 2
    assert [o.position for o in outcomes] == [None, None, 1, 2]
    assert item.seats_taken == 2
    assert services.availability(2, 2, 2) == "Full - waitlist 2"


def test_signing_up_twice_keeps_one_seat(make, conference):
    item, user = workshop(make, conference), make.user()
    first = sign_up(user, item, conference)
    second = sign_up(user, item, conference)
    assert first.seat.id == second.seat.id
    assert db.session.scalars(select(Seat)).all() == [first.seat]
    db.session.refresh(item)
    assert item.seats_taken == 1


def test_a_clash_with_a_held_seat_is_refused_by_name(make, conference):
    user = make.user()
    first = workshop(make, conference, title="Suturing basics")
    second = workshop(make, conference, title="Ultrasound", starts_at=FRI_10 + timedelta(hours=1))
    sign_up(user, first, conference)
    with pytest.raises(services.SignupRefused, match="“Suturing basics” \\(Fri 26 Mar"):
        sign_up(user, second, conference)
    assert services.seat_of(user, second) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signup_opens_at": NOW + timedelta(hours=1)}, "not opened yet"),
        ({"signup_closes_at": NOW - timedelta(hours=1)}, "closed"),
        ({"cancelled": True}, "cancelled"),
        ({"signup_required": False}, "no sign-up"),
    ],
)
def test_sign_up_outside_its_rules_is_refused(make, conference, change, message):
    item = workshop(make, conference)
    for name, value in change.items():
        setattr(item, name, value)
    if {"cancelled", "signup_required"} & change.keys():
        make.publish(conference)  # what attendees see changes only with a release
    with pytest.raises(services.SignupRefused, match=message):
        sign_up(make.user(), item, conference)
    assert db.session.scalar(select(Seat)) is None


def test_unpublished_and_started_workshops_refuse(make, conference):
    draft = make.item(conference, kind=ItemKind.WORKSHOP, capacity=5, signup_required=True)
    with pytest.raises(services.SignupRefused, match="no sign-up"):
        sign_up(make.user(), draft, conference)
    item = workshop(make, conference)
    with pytest.raises(services.SignupRefused, match="started"):
        sign_up(make.user(), item, conference, now=FRI_10 + timedelta(minutes=5))


def test_full_without_waitlist_is_refused(make, conference):
    item = workshop(make, conference, capacity=1, waitlist_enabled=False)
    sign_up(make.user(), item, conference)
    with pytest.raises(services.SignupRefused, match="no waitlist"):
        sign_up(make.user(), item, conference)
    assert len(db.session.scalars(select(Seat)).all()) == 1


def test_cancelling_promotes_the_first_waiting_person_without_a_clash(make, conference, notifier):
    item = workshop(make, conference, capacity=1, title="Airway")
    holder, busy, patient = make.user(), make.user(), make.user()
    other = workshop(make, conference, capacity=5, title="Other", starts_at=FRI_10)
    sign_up(holder, item, conference)
    sign_up(busy, item, conference)  # waitlisted first...
    sign_up(patient, item, conference)
    sign_up(busy, other, conference)  # ...but then took a clashing seat elsewhere
    promoted = services.cancel_seat(holder, item, now=NOW, notifier=notifier)
    assert [s.user_id for s in promoted] == [patient.id]
    assert services.seat_of(busy, item).status is SeatStatus.WAITLISTED
    note = db.session.scalars(select(Notification)).one()
    assert note.user_id == patient.id and "Airway" in note.text and note.url == f"/s/{item.id}"
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == patient.email and f"http://confnet.test/s/{item.id}" in mail.body
    db.session.refresh(item)
    assert item.seats_taken == 1


def test_leaving_the_waitlist_frees_nothing_and_cancel_needs_a_place(make, conference, notifier):
    item = workshop(make, conference, capacity=1)
    sign_up(make.user(), item, conference)
    waiting = make.user()
    sign_up(waiting, item, conference)
    assert services.cancel_seat(waiting, item, now=NOW, notifier=notifier) == []
    with pytest.raises(services.SignupRefused, match="no place"):
        services.cancel_seat(waiting, item, now=NOW, notifier=notifier)


def test_capacity_cannot_drop_below_seats_taken_and_raising_it_promotes(make, conference, notifier):
    item = workshop(make, conference, capacity=2)
    users = [make.user() for _ in range(3)]
    for user in users:
        sign_up(user, item, conference)
    settings = {
        "opens_at": None,
        "closes_at": None,
        "waitlist_enabled": True,
        "mode": SignupMode.FIRST_COME,
        "now": NOW,
        "notifier": notifier,
    }
    with pytest.raises(services.SignupRefused, match="2 seats are already taken"):
        organizer.update_signup_settings(item, capacity=1, **settings)
    promoted = organizer.update_signup_settings(item, capacity=3, **settings)
    assert [s.user_id for s in promoted] == [users[2].id]


def test_moving_someone_from_the_waitlist_by_hand(make, conference, notifier):
    item = workshop(make, conference, capacity=1)
    sign_up(make.user(), item, conference)
    chosen = sign_up(make.user(), item, conference).seat
    boss = make.user()
    with pytest.raises(services.SignupRefused, match="No seat is free"):
        organizer.move_from_waitlist(item, chosen, by=boss, now=NOW, notifier=notifier)
    item.capacity = 2
    organizer.move_from_waitlist(item, chosen, by=boss, now=NOW, notifier=notifier)
    assert chosen.status is SeatStatus.CONFIRMED


def test_check_in_only_for_confirmed_seats(make, conference):
    item = workshop(make, conference, capacity=1)
    seat = sign_up(make.user(), item, conference).seat
    waiting = sign_up(make.user(), item, conference).seat
    organizer.set_checked_in(seat, checked_in=True, now=NOW)
    assert seat.checked_in_at == NOW
    with pytest.raises(services.SignupRefused):
        organizer.set_checked_in(waiting, checked_in=True, now=NOW)


def test_a_lottery_draw_is_reproducible_from_its_seed(make, conference, notifier):
    item = workshop(make, conference, capacity=3, signup_mode=SignupMode.LOTTERY)
    people = [make.user() for _ in range(8)]
    entries = [sign_up(p, item, conference).seat for p in people]
    assert {s.status for s in entries} == {SeatStatus.ENTERED}
    db.session.refresh(item)
    assert item.seats_taken == 0
    winners = organizer.draw_lottery(item, now=NOW, notifier=notifier, seed=424242)
    assert len(winners) == 3 and item.lottery_seed == 424242
    import random

    expected = random.Random(424242).sample(sorted(entries, key=lambda s: s.id), 8)
    assert [s.id for s in winners] == [s.id for s in expected[:3]]
    waitlist = [s for s in organizer.roster(item) if s.status is SeatStatus.WAITLISTED]
    assert [s.id for s in waitlist] == [s.id for s in expected[3:]]
    assert services.waitlist_position(waitlist[0]) == 1
    with pytest.raises(services.SignupRefused, match="already drawn"):
        organizer.draw_lottery(item, now=NOW, notifier=notifier)


def test_live_counts_and_availability_labels(make, conference):
    item = workshop(make, conference, capacity=10)
    for _ in range(9):
        sign_up(make.user(), item, conference)
    assert services.live_counts([item.id]) == {item.id: (9, 0)}
    assert services.availability(10, 9, 0) == "Filling: 1 of 10 left"
    assert services.availability(30, 3, 0) == "27 of 30 left"


def test_the_session_editor_cannot_drop_capacity_below_taken_seats(make, conference):
    from datetime import date, time

    from confnet.programme.parsing import InvalidInput
    from confnet.programme.services import ItemInput, save_item

    item = workshop(make, conference, capacity=3)
    for _ in range(2):
        sign_up(make.user(), item, conference)
    form = ItemInput(
        title="Suturing",
        day=date(2027, 3, 26),
        starts=time(10),
        ends=time(11),
        kind=ItemKind.WORKSHOP,
        signup_required=True,
        capacity=1,
    )
    with pytest.raises(InvalidInput) as refused:
        save_item(conference, form, item)
    assert "2 seats are already taken" in refused.value.errors["capacity"]
    form.capacity = 2
    save_item(conference, form, item)
    assert item.capacity == 2
