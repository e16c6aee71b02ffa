"""What organizers do with a workshop: capacity, window, waitlist by hand, check-in, lottery."""

import random
import secrets
from datetime import datetime

from sqlalchemy import select

from confnet.audit.services import record_action
from confnet.extensions import db
from confnet.models import AuditAction, ScheduleItem, Seat, SeatStatus, SignupMode, User
from confnet.workshops.notify import Notifier
from confnet.workshops.services import (
    SignupRefused,
    clashing_seat,
    lock_item,
    promote_waitlist,
    take_seat,
    waitlist_position,
)


def roster(item: ScheduleItem) -> list[Seat]:
    """Everyone with a place: confirmed first, then the waitlist in order, then entries."""
    order = {SeatStatus.CONFIRMED: 0, SeatStatus.WAITLISTED: 1, SeatStatus.ENTERED: 2}
    seats = db.session.scalars(
        select(Seat).filter_by(item_id=item.id).join(Seat.user).order_by(Seat.rank, Seat.id)
    ).all()
    return sorted(seats, key=lambda s: (order[s.status], s.rank, s.id))


def update_signup_settings(
    item: ScheduleItem,
    *,
    capacity: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
    waitlist_enabled: bool,
    mode: SignupMode,
    now: datetime,
    notifier: Notifier,
) -> list[Seat]:
    """Change capacity, window, waitlist and mode; more seats promote people from the waitlist.

    Refuses a capacity below the seats already taken, a window that closes before it opens,
    and switching mode once people have places.
    """
    lock_item(item)
    db.session.refresh(item)
    if capacity < 1:
        raise SignupRefused("A workshop needs at least one seat.")
    if capacity < item.seats_taken:
        raise SignupRefused(
            f"{item.seats_taken} seats are already taken: the capacity can't go below that. "
            "Move people out first."
        )
    if opens_at and closes_at and closes_at <= opens_at:
        raise SignupRefused("Sign-up must close after it opens.")
    has_places = db.session.scalar(select(Seat.id).filter_by(item_id=item.id).limit(1))
    if mode is not item.signup_mode and has_places:
        raise SignupRefused("People already have places: the sign-up mode can't change now.")
    item.capacity, item.signup_required = capacity, True
    item.signup_opens_at, item.signup_closes_at = opens_at, closes_at
    item.waitlist_enabled, item.signup_mode = waitlist_enabled, mode
    db.session.flush()
    if mode is SignupMode.FIRST_COME:
        return promote_waitlist(item, now=now, notifier=notifier)
    return []


def move_from_waitlist(
    item: ScheduleItem, seat: Seat, *, by: User, now: datetime, notifier: Notifier
) -> None:
    """Give a free seat to a particular person on the waitlist (out of turn, by hand); the
    organizer ``by`` is named in the audit log."""
    if seat.item_id != item.id or seat.status is not SeatStatus.WAITLISTED:
        raise SignupRefused("That person is not on this workshop's waitlist.")
    clash = clashing_seat(seat.user_id, item)
    if clash is not None:
        raise SignupRefused(f"{seat.user.name} holds a seat in “{clash.item.title}” at that time.")
    place = waitlist_position(seat)
    if not take_seat(item):
        raise SignupRefused("No seat is free. Raise the capacity first.")
    seat.status, seat.confirmed_at = SeatStatus.CONFIRMED, now
    notifier.send(seat.user, item, f"Good news: you have a seat in “{item.title}”.")
    db.session.flush()
    record_action(
        AuditAction.SEAT_MOVED,
        conference_id=item.conference_id,
        actor=by,
        subject_id=seat.user_id,
        details=f"“{item.title}”: from place {place} on the waitlist to a confirmed seat.",
        now=now,
    )


def set_checked_in(seat: Seat, *, checked_in: bool, now: datetime) -> None:
    if seat.status is not SeatStatus.CONFIRMED:
        raise SignupRefused("Only people with a confirmed seat can be checked in.")
    seat.checked_in_at = now if checked_in else None
    db.session.flush()


def draw_lottery(
    item: ScheduleItem, *, now: datetime, notifier: Notifier, seed: int | None = None
) -> list[Seat]:
    """Draw the seats of a lottery workshop; the rest become the waitlist in drawn order.

    The seed is recorded on the workshop, so anyone can replay the draw: entries in id order,
    shuffled with ``random.Random(seed)``. Returns the winners.
    """
    lock_item(item)
    if item.signup_mode is not SignupMode.LOTTERY:
        raise SignupRefused("This workshop is first come, first served: there is nothing to draw.")
    if item.lottery_drawn_at is not None:
        raise SignupRefused("The lottery was already drawn.")
    entries = db.session.scalars(
        select(Seat).filter_by(item_id=item.id, status=SeatStatus.ENTERED).order_by(Seat.id)
    ).all()
    item.lottery_seed = secrets.randbits(31) if seed is None else seed
    item.lottery_drawn_at = now
    order = random.Random(item.lottery_seed).sample(entries, len(entries))
    winners = []
    for rank, seat in enumerate(order, start=1):
        seat.rank = rank
        room_left = len(winners) < (item.capacity or 0)
        if room_left and clashing_seat(seat.user_id, item) is None and take_seat(item):
            seat.status, seat.confirmed_at = SeatStatus.CONFIRMED, now
            winners.append(seat)
            notifier.send(seat.user, item, f"You won a seat in “{item.title}”.")
            continue
        seat.status = SeatStatus.WAITLISTED
        notifier.send(
            seat.user,
            item,
            f"The draw for “{item.title}” is done: you are on "
            f"the waitlist (place {rank - len(winners)}).",
        )
    db.session.flush()
    return winners


def seats_of_user(user: User) -> list[Seat]:
    """A person's places in all workshops, soonest first (for "My workshops")."""
    query = (
        select(Seat)
        .join(ScheduleItem, ScheduleItem.id == Seat.item_id)
        .where(Seat.user_id == user.id)
        .order_by(ScheduleItem.starts_at)
    )
    return list(db.session.scalars(query))
