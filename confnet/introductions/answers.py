"""Answering an introduction (accept, decline) and withdrawing one's own request.

Each starts by re-reading the introduction under a row lock (PostgreSQL; SQLite serialises
writes), so that two answers at once, or an answer racing a withdrawal or a block, are decided
one after the other on fresh data: both sides accepting a brokered introduction at the same
moment still makes it a connection. Services flush; the caller commits.
"""

from datetime import datetime

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.introductions.rules import IntroductionRefused, lock_introduction
from confnet.models import Answer, Introduction, IntroductionStatus, User


def awaits_answer_of(intro: Introduction, user_id: int) -> bool:
    """Whether ``intro`` is pending and waits for ``user_id``'s answer."""
    return (
        intro.status is IntroductionStatus.PENDING
        and intro.involves(user_id)
        and intro.answer_of(user_id) is Answer.PENDING
    )


def _why_not_awaiting(intro: Introduction, user_id: int) -> str:
    # The requester of a declined request must never read "declined": every closed state that
    # is not theirs to know about reads "no longer open".
    status = intro.status
    if status is IntroductionStatus.ACCEPTED:
        return "You are already connected."
    if status is IntroductionStatus.PENDING:
        return "You have already said yes; it is waiting for the other person's answer."
    if status is IntroductionStatus.WITHDRAWN:
        return "This request was withdrawn, so there is nothing to answer."
    if status is IntroductionStatus.DECLINED and intro.answer_of(user_id) is Answer.DECLINED:
        return "You have already answered this one."
    return "This introduction is no longer open."


def _lock_awaiting(intro: Introduction, user: User) -> None:
    lock_introduction(intro)
    if not awaits_answer_of(intro, user.id):
        raise IntroductionRefused(_why_not_awaiting(intro, user.id))


def _set_answer(intro: Introduction, user_id: int, answer: Answer) -> None:
    if user_id == intro.person_a_id:
        intro.a_answer = answer
    else:
        intro.b_answer = answer


def accept_introduction(
    intro: Introduction, user: User, *, now: datetime, teller: Teller
) -> Introduction:
    """``user`` (whose answer is pending) says yes. When both have said yes the two are
    connected and told so (and the introducer thanked). Raises ``IntroductionRefused`` when the
    introduction no longer waits for ``user`` (answered, withdrawn, ended)."""
    _lock_awaiting(intro, user)
    _set_answer(intro, user.id, Answer.ACCEPTED)
    if intro.a_answer is Answer.ACCEPTED and intro.b_answer is Answer.ACCEPTED:
        intro.status = IntroductionStatus.ACCEPTED
        intro.decided_at = now
    db.session.flush()
    if intro.status is IntroductionStatus.ACCEPTED:
        _tell_connected(intro, user, teller)
    return intro


def _tell_connected(intro: Introduction, by: User, teller: Teller) -> None:
    path = teller.connection(intro)
    if not intro.is_brokered:
        teller.tell(
            intro.requested_by,
            f"{by.name} accepted your introduction: you can now see each other's contact "
            "details and write to each other.",
            path,
        )
        return
    pair = (intro.person_a, intro.person_b)
    for person, other in (pair, pair[::-1]):
        teller.tell(
            person,
            f"You and {other.name} are now connected, thanks to {intro.requested_by.name}: you "
            "can see each other's contact details and write to each other.",
            path,
        )
    teller.tell(
        intro.requested_by,
        f"{pair[0].name} and {pair[1].name} are now connected. Thank you for introducing them.",
        teller.inbox,
    )


def decline_introduction(
    intro: Introduction, user: User, *, now: datetime, teller: Teller
) -> Introduction:
    """``user`` (whose answer is pending) says no. The requester (or, for a brokered one, the
    other person) hears gently that ``user`` is not available right now; an introducer hears
    only that it won't go ahead, never which of the two said no. The pair cannot be asked again
    for ``rules.COOLDOWN``."""
    _lock_awaiting(intro, user)
    _set_answer(intro, user.id, Answer.DECLINED)
    intro.status = IntroductionStatus.DECLINED
    intro.decided_at = now
    db.session.flush()
    if not intro.is_brokered:
        teller.tell(intro.requested_by, f"{user.name} is not available right now.", teller.inbox)
        return intro
    other = db.session.get(User, intro.other_id(user.id))
    introducer = intro.requested_by
    teller.tell(
        other,
        f"The introduction to {user.name} from {introducer.name} won't go ahead: "
        f"{user.first_name} is not available right now.",
        teller.inbox,
    )
    teller.tell(
        introducer,
        f"The introduction of {intro.person_a.name} and {intro.person_b.name} won't go ahead "
        "this time. Thank you for thinking of them.",
        teller.inbox,
    )
    return intro


def withdraw_introduction(intro: Introduction, user: User, *, now: datetime) -> Introduction:
    """The person who asked (or the introducer) takes back a pending request; it still counts
    towards their daily limit. Nobody is told."""
    lock_introduction(intro)
    if intro.requested_by_id != user.id:
        raise IntroductionRefused("Only the person who asked can withdraw a request.")
    if intro.status is IntroductionStatus.ACCEPTED:
        raise IntroductionRefused("It has already been accepted: there is nothing to withdraw.")
    if intro.status is not IntroductionStatus.PENDING:
        raise IntroductionRefused("This request is no longer open.")
    intro.status = IntroductionStatus.WITHDRAWN
    intro.decided_at = now
    db.session.flush()
    return intro
