"""Asking for an introduction, introducing two people, and answering.

A direct request comes from one of the pair, whose answer is already "accepted"; a brokered one
comes from a third person (the introducer) and waits for both answers (double opt-in). When both
answers are "accepted" the introduction is a connection; one "declined" ends it, and the pair
cannot be asked again for ``COOLDOWN``. Whoever is turned down hears "not available right now",
never "declined". See ``rules`` for what the database guarantees under concurrency.
Services flush; the caller commits.
"""

from datetime import datetime

from confnet import permissions
from confnet.introductions.access import may_approach, may_introduce
from confnet.introductions.notify import Teller
from confnet.introductions.rules import (
    MESSAGE_MAX,
    IntroductionRefused,
    PersonUnavailable,
    add_introduction,
    ask_again_on,
    check_daily_cap,
    clean_text,
    declined_by,
    live_between,
    recent_decline,
)
from confnet.models import Answer, Conference, Introduction, IntroductionStatus, User
from confnet.people.relations import blocked_between, lock_people, ordered


def _refuse_live(requester: User, person: User) -> None:
    live = live_between(requester.id, person.id)
    if live is None:
        return
    if live.status is IntroductionStatus.ACCEPTED:
        raise IntroductionRefused(f"You are already connected with {person.name}.")
    if live.requested_by_id == person.id:
        raise IntroductionRefused(
            f"{person.name} has already asked to be introduced to you: "
            "you can accept that request in your introductions."
        )
    if live.requested_by_id == requester.id:
        raise IntroductionRefused(
            f"You have already asked {person.name}; the request is waiting for an answer."
        )
    raise IntroductionRefused(
        f"{live.requested_by.name} has already introduced you to {person.name}: "
        "it is waiting in your introductions."
    )


def _refuse_cooldown(requester: User, person: User, now: datetime, tz) -> None:
    """A declined pair rests for ``COOLDOWN``, whoever asks; only the one who said no hears
    about their own answer, the other hears "not available right now"."""
    decline = recent_decline(requester.id, person.id, now)
    if decline is None:
        return
    again = ask_again_on(decline, tz)
    if declined_by(decline, requester.id):
        raise IntroductionRefused(
            f"You said no to an introduction with {person.name} recently; "
            f"you can ask again after {again}."
        )
    raise IntroductionRefused(
        f"{person.name} is not available right now; you can ask again after {again}."
    )


def check_request(requester: User, person: User, conference: Conference, now: datetime) -> None:
    """Raise why ``requester`` may not ask ``person`` for an introduction now: the checks of
    ``request_introduction`` without writing anything, so a page can say so before the form is
    filled in. ``PersonUnavailable`` when the person cannot be approached at all."""
    if requester.id == person.id:
        raise IntroductionRefused("You can't ask for an introduction to yourself.")
    # may_approach reads the per-request memo; a block made since must count (fresh read).
    if not may_approach(requester, person, conference) or blocked_between(requester.id, person.id):
        raise PersonUnavailable()
    if permissions.membership_of(requester, conference).profile_hidden_at is not None:
        raise IntroductionRefused(
            "The organizers have hidden your profile in this conference, "
            "so you can't ask for introductions here."
        )
    _refuse_live(requester, person)
    _refuse_cooldown(requester, person, now, conference.tz)
    check_daily_cap(requester, now, conference.tz)


def _answer(said_yes: bool) -> Answer:
    return Answer.ACCEPTED if said_yes else Answer.PENDING


def request_introduction(
    requester: User, person: User, conference: Conference, message: str, *, now, teller: Teller
) -> Introduction:
    """Ask ``person`` for an introduction with ``message`` (required, ``MESSAGE_MAX`` at most)
    and tell them. Raises ``PersonUnavailable`` or ``IntroductionRefused`` (see
    ``check_request``); two people asking each other at once get one introduction."""
    body = clean_text(message, MESSAGE_MAX, "a short message saying why")
    lock_people(requester.id, person.id)
    check_request(requester, person, conference, now)
    low, high = ordered(requester.id, person.id)
    intro = Introduction(
        conference_id=conference.id,
        person_a_id=low,
        person_b_id=high,
        requested_by_id=requester.id,
        message=body,
        a_answer=_answer(low == requester.id),
        b_answer=_answer(high == requester.id),
        status=IntroductionStatus.PENDING,
        created_at=now,
    )
    add_introduction(intro, f"An introduction between you and {person.name} is already under way.")
    teller.tell(
        person,
        f"{requester.name} would like to be introduced to you at {conference.name}.",
        teller.inbox,
    )
    return intro


def _check_people(introducer: User, first: User, second: User, conference: Conference) -> None:
    if first.id == second.id:
        raise IntroductionRefused("Choose two different people.")
    if introducer.id in (first.id, second.id):
        raise IntroductionRefused(
            "Choose two people other than yourself; to meet someone, ask for an introduction."
        )
    if permissions.membership_of(introducer, conference) is None:
        raise PersonUnavailable()
    if not all(may_introduce(introducer, p, conference) for p in (first, second)):
        raise PersonUnavailable()
    if any(blocked_between(introducer.id, p.id) for p in (first, second)):  # fresh, not memo
        raise PersonUnavailable()
    if blocked_between(first.id, second.id):
        raise IntroductionRefused(f"{first.name} and {second.name} can't be introduced here.")


def _check_pair_free(first: User, second: User, now: datetime, tz) -> None:
    live = live_between(first.id, second.id)
    if live is not None and live.status is IntroductionStatus.ACCEPTED:
        raise IntroductionRefused(f"{first.name} and {second.name} are already connected.")
    if live is not None:
        raise IntroductionRefused(
            f"An introduction of {first.name} and {second.name} is already waiting for an answer."
        )
    decline = recent_decline(first.id, second.id, now)
    if decline is not None:
        raise IntroductionRefused(
            f"{first.name} and {second.name} can't be introduced right now; "
            f"you can try again after {ask_again_on(decline, tz)}."
        )


def check_introduction(introducer, first, second, conference: Conference, now) -> None:
    """Raise why ``introducer`` may not introduce ``first`` and ``second`` now."""
    _check_people(introducer, first, second, conference)
    _check_pair_free(first, second, now, conference.tz)
    check_daily_cap(introducer, now, conference.tz)


def introduce_people(
    introducer: User,
    first: User,
    second: User,
    conference: Conference,
    note: str,
    *,
    now: datetime,
    teller: Teller,
) -> Introduction:
    """Introduce two of ``introducer``'s connections with one ``note`` to both; each must accept
    before they see each other's details. Counts towards the introducer's daily cap."""
    body = clean_text(note, MESSAGE_MAX, "a note to both of them", "your note")
    lock_people(introducer.id, first.id, second.id)
    check_introduction(introducer, first, second, conference, now)
    low, high = ordered(first.id, second.id)
    intro = Introduction(
        conference_id=conference.id,
        person_a_id=low,
        person_b_id=high,
        requested_by_id=introducer.id,
        message=body,
        status=IntroductionStatus.PENDING,
        created_at=now,
    )
    add_introduction(intro, f"{first.name} and {second.name} already have an introduction.")
    for person, other in ((first, second), (second, first)):
        teller.tell(
            person,
            f"{introducer.name} would like to introduce you to {other.name} at {conference.name}.",
            teller.inbox,
        )
    return intro
