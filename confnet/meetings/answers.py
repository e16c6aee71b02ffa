"""Answering a meeting: accept, decline, or cancel it (see ``services`` for the rules and the
locking every change goes through).

A declined or withdrawn proposal keeps ``awaiting_id`` (the person who was asked): that is how
the pages tell "you said no" from "not possible", and a withdrawal from a cancellation. Only
a settled status is ever read with it; nothing waits for an answer any more.
"""

from datetime import datetime

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.meetings.services import MeetingRefused, ensure_free, locked_meeting, when
from confnet.models import Conference, Meeting, MeetingStatus, User


def _settle(meeting: Meeting, status: MeetingStatus, now: datetime, *, keep: bool = False) -> None:
    """The meeting leaves the proposal stage: nobody has to answer it any more (``keep``: the
    person who was asked stays recorded in ``awaiting_id``). Flushes."""
    awaiting = meeting.awaiting_id if keep else None
    meeting.status, meeting.awaiting_id, meeting.updated_at = status, awaiting, now
    db.session.flush()


def accept_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, teller: Teller
) -> None:
    """The awaiting person accepts: the meeting goes into both agendas and feeds. Refused if
    its time has passed, or clashes with a session or an accepted meeting of either."""
    other = locked_meeting(meeting, user)
    if meeting.starts_at <= now:
        raise MeetingRefused("This meeting's time has passed. Propose another time instead.")
    span = (meeting.starts_at, meeting.ends_at)
    accepted = (MeetingStatus.ACCEPTED,)
    ensure_free(conference, user, other, span, statuses=accepted, exclude=meeting.id)
    meeting.accepted_at = now
    _settle(meeting, MeetingStatus.ACCEPTED, now)
    text = f"{user.name} accepted to meet: {when(meeting, conference)}, {meeting.where}."
    teller.tell(other, text, teller.meetings)


def decline_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, teller: Teller
) -> None:
    """The awaiting person declines the proposal."""
    other = locked_meeting(meeting, user)
    _settle(meeting, MeetingStatus.DECLINED, now, keep=True)
    # The proposer reads it gently, as with introductions: never "declined".
    text = f"Not possible — {user.name} can't make {when(meeting, conference)}."
    teller.tell(other, text, teller.meetings)


def cancel_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, teller: Teller
) -> None:
    """Either person calls off an accepted meeting that hasn't ended (calendars show it as
    cancelled: SEQUENCE goes up), or the proposer withdraws a proposal (it stays CANCELLED
    with ``awaiting_id`` kept and ``accepted_at`` None: see ``is_withdrawn``)."""
    other = locked_meeting(meeting, user, awaiting=False)
    if meeting.ends_at <= now:
        raise MeetingRefused("This meeting is over; there is nothing to cancel.")
    proposal = meeting.status is MeetingStatus.PROPOSED
    meeting.sequence += 1
    _settle(meeting, MeetingStatus.CANCELLED, now, keep=proposal)
    if proposal:
        text = f"{user.name} withdrew the proposal to meet on {when(meeting, conference)}."
    else:
        text = f"{user.name} cancelled your meeting: {when(meeting, conference)}."
    teller.tell(other, text, teller.meetings)


def is_withdrawn(meeting: Meeting) -> bool:
    """A proposal called off before anybody accepted it."""
    return meeting.status is MeetingStatus.CANCELLED and meeting.accepted_at is None


def said_no(meeting: Meeting, user_id: int) -> bool:
    """``user_id`` was asked and said no (only the one asked can decline)."""
    return meeting.status is MeetingStatus.DECLINED and meeting.awaiting_id == user_id
