"""Answering a meeting: accept, decline, or cancel it (see ``services`` for the rules and the
locking every change goes through)."""

from datetime import datetime

from confnet.extensions import db
from confnet.meetings.services import MeetingRefused, Teller, ensure_free, locked_meeting, when
from confnet.models import Conference, Meeting, MeetingStatus, User


def accept_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, tell: Teller
) -> None:
    """The awaiting person accepts: the meeting goes into both agendas and feeds. Refused if
    its time has passed, or clashes with a session or an accepted meeting of either."""
    other = locked_meeting(meeting, user)
    if meeting.starts_at <= now:
        raise MeetingRefused("This meeting's time has passed. Propose another time instead.")
    span = (meeting.starts_at, meeting.ends_at)
    accepted = (MeetingStatus.ACCEPTED,)
    ensure_free(conference, user, other, span, statuses=accepted, exclude=meeting.id)
    meeting.status, meeting.awaiting_id, meeting.updated_at = MeetingStatus.ACCEPTED, None, now
    meeting.accepted_at = now
    db.session.flush()
    tell(other, f"{user.name} accepted to meet: {when(meeting, conference)}, {meeting.where}.")


def decline_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, tell: Teller
) -> None:
    """The awaiting person declines the proposal."""
    other = locked_meeting(meeting, user)
    meeting.status, meeting.awaiting_id, meeting.updated_at = MeetingStatus.DECLINED, None, now
    db.session.flush()
    tell(other, f"{user.name} can't meet then: {when(meeting, conference)}.")


def cancel_meeting(
    meeting: Meeting, user: User, conference: Conference, *, now: datetime, tell: Teller
) -> None:
    """Either person calls off a proposed or accepted meeting that hasn't ended; calendars
    show it as cancelled (SEQUENCE goes up)."""
    other = locked_meeting(meeting, user, awaiting=False)
    if meeting.ends_at <= now:
        raise MeetingRefused("This meeting is over; there is nothing to cancel.")
    meeting.status, meeting.awaiting_id, meeting.updated_at = MeetingStatus.CANCELLED, None, now
    meeting.sequence += 1
    db.session.flush()
    tell(other, f"{user.name} cancelled your meeting: {when(meeting, conference)}.")
