"""Answering a meeting: accept, decline, or cancel it (see ``services`` for the rules and the
locking every change goes through)."""

from datetime import datetime

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.meetings.services import MeetingRefused, ensure_free, locked_meeting, when
from confnet.models import Conference, Meeting, MeetingStatus, User


def _settle(meeting: Meeting, status: MeetingStatus, now: datetime) -> None:
    """The meeting leaves the proposal stage: nobody has to answer it any more. Flushes."""
    meeting.status, meeting.awaiting_id, meeting.updated_at = status, None, now
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
    _settle(meeting, MeetingStatus.DECLINED, now)
    text = f"{user.name} can't meet then: {when(meeting, conference)}."
    teller.tell(other, text, teller.meetings)


def cancel_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, teller: Teller
) -> None:
    """Either person calls off a proposed or accepted meeting that hasn't ended; calendars
    show it as cancelled (SEQUENCE goes up)."""
    other = locked_meeting(meeting, user, awaiting=False)
    if meeting.ends_at <= now:
        raise MeetingRefused("This meeting is over; there is nothing to cancel.")
    meeting.sequence += 1
    _settle(meeting, MeetingStatus.CANCELLED, now)
    text = f"{user.name} cancelled your meeting: {when(meeting, conference)}."
    teller.tell(other, text, teller.meetings)
