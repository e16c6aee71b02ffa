"""Workshop sign-ups that never overbook, even in the opening rush.

Every rule that must survive concurrency is kept by the database:
- one place per person and workshop: the unique ``(item_id, user_id)`` on ``seats``;
- never more confirmed seats than capacity: ``seats_taken`` changes only through conditional
  UPDATEs (``WHERE seats_taken < capacity``), backed by a CHECK constraint;
- one person's own sign-ups and cancellations run one at a time (their ``users`` row is locked
  on PostgreSQL; SQLite write transactions are serialised by BEGIN IMMEDIATE), so the clash
  rule holds too;
- waitlist order is arrival order (the seat's id), or the drawn order after a lottery (rank).
Services flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    PublishedItem,
    ScheduleItem,
    Seat,
    SeatStatus,
    SignupMode,
    User,
)
from confnet.timefmt import format_slot
from confnet.workshops.notify import Notifier

HOLDING = (SeatStatus.CONFIRMED,)


class SignupRefused(DomainError):
    pass


@dataclass(frozen=True)
class Outcome:
    seat: Seat
    position: int | None  # place on the waitlist (1 = next), None when confirmed or entered


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _lock_user(user: User) -> None:
    # NO KEY UPDATE (key_share): rows that merely point at the user (a notification) don't wait.
    if _is_postgres():
        query = select(User.id).where(User.id == user.id).with_for_update(key_share=True)
        db.session.execute(query)


def lock_item(item: ScheduleItem) -> None:
    if _is_postgres():
        db.session.execute(
            select(ScheduleItem.id).where(ScheduleItem.id == item.id).with_for_update()
        )


def signup_problem(item: ScheduleItem, published: PublishedItem | None, now: datetime) -> str:
    """Why sign-up is closed right now, or "" when it is open. Shown on disabled buttons."""
    if published is None or not item.signup_required or not item.capacity:
        return "This session has no sign-up."
    if item.cancelled or published.cancelled:
        return "This workshop is cancelled."
    if now >= item.starts_at:
        return "This workshop has started."
    if item.signup_opens_at and now < item.signup_opens_at:
        return "Sign-up has not opened yet."
    if item.signup_closes_at and now >= item.signup_closes_at:
        return "Sign-up has closed."
    return ""


def seat_of(user: User, item: ScheduleItem) -> Seat | None:
    return db.session.scalar(select(Seat).filter_by(item_id=item.id, user_id=user.id))


def waitlist_position(seat: Seat) -> int | None:
    if seat.status is not SeatStatus.WAITLISTED:
        return None
    ahead = (
        select(func.count())
        .select_from(Seat)
        .filter_by(item_id=seat.item_id, status=SeatStatus.WAITLISTED)
    )
    ahead = ahead.where((Seat.rank < seat.rank) | ((Seat.rank == seat.rank) & (Seat.id < seat.id)))
    return (db.session.scalar(ahead) or 0) + 1


def clashing_seat(user_id: int, item: ScheduleItem) -> Seat | None:
    """A confirmed seat of the user in another workshop that overlaps ``item`` in time."""
    query = (
        select(Seat)
        .join(ScheduleItem, ScheduleItem.id == Seat.item_id)
        .where(
            Seat.user_id == user_id,
            Seat.status.in_(HOLDING),
            Seat.item_id != item.id,
            ScheduleItem.cancelled.is_(False),
            ScheduleItem.starts_at < item.ends_at,
            ScheduleItem.ends_at > item.starts_at,
        )
        .limit(1)
    )
    return db.session.scalar(query)


def _clash_message(seat: Seat, tz) -> str:
    other = seat.item
    return (
        f"You already have a seat in “{other.title}” "
        f"({format_slot(other.starts_at, other.ends_at, tz)}), which overlaps this workshop."
    )


def take_seat(item: ScheduleItem) -> bool:
    """Atomically take one seat if one is free."""
    result = db.session.execute(
        update(ScheduleItem)
        .where(
            ScheduleItem.id == item.id,
            ScheduleItem.capacity.is_not(None),
            ScheduleItem.seats_taken < ScheduleItem.capacity,
        )
        .values(seats_taken=ScheduleItem.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(item, ["seats_taken"])  # the database has the true count
    return result.rowcount == 1


def free_seat(item: ScheduleItem) -> None:
    db.session.execute(
        update(ScheduleItem)
        .where(ScheduleItem.id == item.id, ScheduleItem.seats_taken > 0)
        .values(seats_taken=ScheduleItem.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(item, ["seats_taken"])


def sign_up(user: User, item: ScheduleItem, *, now: datetime, tz) -> Outcome:
    """A seat if one is free, else a waitlist place (or a lottery entry). Idempotent.

    Raises ``SignupRefused`` when sign-up is closed, the workshop is full without a waitlist,
    or the person holds a seat in an overlapping workshop.
    """
    _lock_user(user)
    problem = signup_problem(item, db.session.get(PublishedItem, item.id), now)
    if problem:
        raise SignupRefused(problem)
    existing = seat_of(user, item)
    if existing is not None:
        return Outcome(existing, waitlist_position(existing))
    clash = clashing_seat(user.id, item)
    if clash is not None:
        raise SignupRefused(_clash_message(clash, tz))
    lottery = item.signup_mode is SignupMode.LOTTERY
    try:
        # The counter first, then the row: whoever reaches the counter first gets the seat,
        # and the waitlist fills in the same order. A savepoint undoes both together.
        with db.session.begin_nested():
            confirmed = not lottery and take_seat(item)
            if not (confirmed or lottery or item.waitlist_enabled):
                raise SignupRefused("This workshop is full, and it has no waitlist.")
            status = (
                SeatStatus.CONFIRMED
                if confirmed
                else SeatStatus.ENTERED
                if lottery
                else SeatStatus.WAITLISTED
            )
            seat = Seat(
                item_id=item.id,
                user_id=user.id,
                created_at=now,
                status=status,
                confirmed_at=now if confirmed else None,
            )
            db.session.add(seat)
            db.session.flush()
    except IntegrityError:  # the same person, twice at once: keep the first
        existing = seat_of(user, item)
        return Outcome(existing, waitlist_position(existing))
    return Outcome(seat, waitlist_position(seat))


def cancel_seat(user: User, item: ScheduleItem, *, now: datetime, notifier: Notifier) -> list[Seat]:
    """Give up a seat, waitlist place or lottery entry before the workshop starts.

    A freed seat goes to the first person on the waitlist without a clash, in the same
    transaction, so nobody can jump the queue. Returns the seats that were promoted.
    """
    _lock_user(user)
    seat = seat_of(user, item)
    if seat is None:
        raise SignupRefused("You have no place in this workshop.")
    if now >= item.starts_at:
        raise SignupRefused("This workshop has started, so places can't be given up any more.")
    was_confirmed = seat.status is SeatStatus.CONFIRMED
    db.session.delete(seat)
    db.session.flush()
    if not was_confirmed:
        return []
    free_seat(item)
    return promote_waitlist(item, now=now, notifier=notifier)


def promote_waitlist(item: ScheduleItem, *, now: datetime, notifier: Notifier) -> list[Seat]:
    """Fill free seats from the waitlist in order, skipping people with a clash."""
    lock_item(item)
    waiting = db.session.scalars(
        select(Seat)
        .filter_by(item_id=item.id, status=SeatStatus.WAITLISTED)
        .order_by(Seat.rank, Seat.id)
    ).all()
    promoted = []
    for seat in waiting:
        if clashing_seat(seat.user_id, item) is not None:
            continue
        if not take_seat(item):
            break
        seat.status, seat.confirmed_at = SeatStatus.CONFIRMED, now
        promoted.append(seat)
        notifier.send(seat.user, item, f"Good news: you have a seat in “{item.title}”.")
    db.session.flush()
    return promoted


def live_counts(item_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{item_id: (seats_taken, waitlisted)}`` in two queries, for lists of workshops."""
    if not item_ids:
        return {}
    taken = dict(
        db.session.execute(
            select(ScheduleItem.id, ScheduleItem.seats_taken).where(ScheduleItem.id.in_(item_ids))
        ).all()
    )
    waiting = dict(
        db.session.execute(
            select(Seat.item_id, func.count())
            .where(Seat.item_id.in_(item_ids), Seat.status == SeatStatus.WAITLISTED)
            .group_by(Seat.item_id)
        ).all()
    )
    return {i: (taken.get(i, 0), waiting.get(i, 0)) for i in item_ids}


def availability(capacity: int | None, taken: int, waitlisted: int) -> str:
    """ "12 of 30 left", "Filling: 3 of 30 left", "Full - waitlist 4"."""
    if not capacity:
        return ""
    left = capacity - taken
    if left <= 0:
        return f"Full - waitlist {waitlisted}" if waitlisted else "Full"
    if left <= max(2, capacity // 5):
        return f"Filling: {left} of {capacity} left"
    return f"{left} of {capacity} left"


@dataclass(frozen=True)
class Panel:
    """Everything the session page shows about a workshop's sign-up, for one viewer."""

    capacity: int
    taken: int
    waiting: int
    label: str
    problem: str
    seat: Seat | None
    position: int | None
    lottery: bool


def signup_panel(published: PublishedItem, user, now: datetime) -> Panel | None:
    """The sign-up box of a session page, or None when the session has no sign-up."""
    if not published.signup_required:
        return None  # no query at all for the usual talk
    item = db.session.get(ScheduleItem, published.item_id)
    if item is None or not item.signup_required or not item.capacity:
        return None
    taken, waiting = live_counts([item.id])[item.id]
    seat = seat_of(user, item) if user is not None and user.is_authenticated else None
    return Panel(
        capacity=item.capacity,
        taken=taken,
        waiting=waiting,
        label=availability(item.capacity, taken, waiting),
        problem=signup_problem(item, published, now),
        seat=seat,
        position=waitlist_position(seat) if seat else None,
        lottery=item.signup_mode is SignupMode.LOTTERY,
    )
