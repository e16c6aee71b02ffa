"""The rules every introduction obeys, direct or brokered, and the errors that explain them.

What must hold under concurrency is kept by the database:
- one live (pending or accepted) introduction per pair: the partial unique index
  ``uq_introductions_live_pair``; ``add_introduction`` turns a lost race into a readable refusal;
- at most ``DAILY_CAP`` requests per person per rolling 24 hours: the requester's ``users`` row
  is locked (``confnet.people.relations.lock_people``) before counting, so one person's
  requests are counted one at a time; on SQLite every POST already runs in BEGIN IMMEDIATE;
- no introduction slips past a block: blocking locks both people's rows, and so does every
  request and introduction (with the introducer's), so the block is seen or sees it.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Answer, Introduction, IntroductionStatus, User
from confnet.people.relations import ordered
from confnet.timefmt import format_day, format_time, to_local

MESSAGE_MAX = 500  # a request's message, an introducer's note
REPLY_MAX = 1000  # a message in a connection's thread
REASON_MAX = 1000  # a report's reason
DAILY_CAP = 10
CAP_WINDOW = timedelta(hours=24)
COOLDOWN = timedelta(days=90)
LIVE = (IntroductionStatus.PENDING, IntroductionStatus.ACCEPTED)


class IntroductionRefused(DomainError):
    """A rule of introductions said no; the message says why, gently."""


class PersonUnavailable(DomainError):
    """The person cannot be approached by this user at all (not visible, hidden, blocked either
    way). Views answer a plain 404, the same as for somebody who does not exist."""

    status = 404

    def __init__(self) -> None:
        super().__init__("We couldn't find that person.")


def lock_introduction(intro: Introduction) -> None:
    """Re-read ``intro`` from the database, locked until commit on PostgreSQL, so that two
    answers, an answer and a withdrawal, or an answer and a block run one after the other.
    ``FOR NO KEY UPDATE``: messages and meetings of the introduction can still be inserted."""
    query = (
        select(Introduction)
        .where(Introduction.id == intro.id)
        .execution_options(populate_existing=True)
        .with_for_update(key_share=True)
    )
    db.session.execute(query).all()  # fetched, so the identity map really is refreshed


def too_long(noun: str, limit: int) -> str:
    """The sentence for a text over its limit: "Please keep your report to 1,000 characters or
    fewer." (``noun`` names it from the writer's side: "your message")."""
    return f"Please keep {noun} to {limit:,} characters or fewer."


def clean_text(text: str | None, limit: int, what: str, noun: str = "your message") -> str:
    """``text`` with normalised line endings and no surrounding blanks; refuses it when empty
    ("Please write ``what``.") or longer than ``limit`` characters (see ``too_long``)."""
    body = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise IntroductionRefused(f"Please write {what}.")
    if len(body) > limit:
        raise IntroductionRefused(f"{too_long(noun, limit)} (It has {len(body):,}.)")
    return body


def pair_is(x_id: int, y_id: int):
    """SQL condition: the introduction is of these two people (in either order)."""
    low, high = ordered(x_id, y_id)
    return and_(Introduction.person_a_id == low, Introduction.person_b_id == high)


def live_between(x_id: int, y_id: int) -> Introduction | None:
    """The pending or accepted introduction of the two, read fresh from the database."""
    query = select(Introduction).where(pair_is(x_id, y_id), Introduction.status.in_(LIVE))
    return db.session.scalar(query.execution_options(populate_existing=True))


def recent_decline(x_id: int, y_id: int, now: datetime) -> Introduction | None:
    """The latest introduction of the two that was declined less than ``COOLDOWN`` ago."""
    query = (
        select(Introduction)
        .where(
            pair_is(x_id, y_id),
            Introduction.status == IntroductionStatus.DECLINED,
            Introduction.decided_at > now - COOLDOWN,
        )
        .order_by(Introduction.decided_at.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def declined_by(intro: Introduction, user_id: int) -> bool:
    """Whether ``user_id`` is the one who said no to the declined ``intro``: in a direct request
    always the person asked (the asker said yes by asking), in a brokered one whoever answered
    "declined"."""
    if not intro.is_brokered:
        return intro.involves(user_id) and user_id != intro.requested_by_id
    return intro.involves(user_id) and intro.answer_of(user_id) is Answer.DECLINED


def ask_again_on(intro: Introduction, tz: ZoneInfo) -> str:
    """``12 June 2027``: the first day the pair may be asked again, in the conference's zone."""
    day = to_local(intro.decided_at + COOLDOWN, tz)
    return f"{day.day} {day:%B %Y}"


def _moment(when: datetime, tz: ZoneInfo) -> str:
    """``Fri 26 Mar 14:30`` in ``tz``."""
    return f"{format_day(to_local(when, tz).date())} {format_time(when, tz)}"


def check_daily_cap(user: User, now: datetime, tz: ZoneInfo) -> None:
    """Refuse when ``user`` asked for (or brokered) ``DAILY_CAP`` introductions in the last
    24 hours. Withdrawn requests count: withdrawing must not reset the limit. Call it after
    ``lock_people`` so that concurrent requests of one person count each other."""
    query = (
        select(Introduction.created_at)
        .where(Introduction.requested_by_id == user.id, Introduction.created_at > now - CAP_WINDOW)
        .order_by(Introduction.created_at)
    )
    recent = db.session.scalars(query).all()
    if len(recent) < DAILY_CAP:
        return
    free_at = recent[-DAILY_CAP] + CAP_WINDOW
    raise IntroductionRefused(
        f"You have sent {DAILY_CAP} introduction requests in the last 24 hours, the most we "
        f"allow. You can send more from {_moment(free_at, tz)}."
    )


def add_introduction(intro: Introduction, clash: str) -> Introduction:
    """Insert ``intro`` in a savepoint; when another live introduction of the pair won the race
    (the partial unique index), refuse with ``clash`` and leave the transaction usable."""
    try:
        with db.session.begin_nested():
            db.session.add(intro)
            db.session.flush()
    except IntegrityError:
        raise IntroductionRefused(clash) from None
    return intro


def involving(user_id: int):
    """SQL condition: ``user_id`` is one of the pair."""
    return or_(Introduction.person_a_id == user_id, Introduction.person_b_id == user_id)
