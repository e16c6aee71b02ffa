"""Booking a meeting and proposing another time; the checks and the locking that every change
of a meeting goes through (``answers`` accepts, declines and cancels).

A meeting is proposed by its host to its guest (``awaiting_id`` is whoever must answer); a
counter-proposal changes time, place or note and hands the answer to the other person.
Accepted meetings are in both agendas and feeds. A time must lie on one of the conference's
days, within its hours, in the future, and be free for both people: their committed sessions
and their proposed or accepted meetings (accepting checks accepted meetings only, so that of
two overlapping proposals the first one accepted wins).

Concurrency: every change first locks both people's user rows (``lock_people``; on SQLite a
POST already holds the database's write lock), then re-reads the meeting (or the connection),
then checks and writes. So two meetings of one person can't be accepted or booked for the same
time by two requests at once, and no meeting is made or accepted past a block (blocking locks
the same rows): the second waits, then sees the first. Services flush; the view commits.
The other person is told through the view's ``Teller``, with a link to the meetings page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.meetings.busy import busy_times, conference_windows
from confnet.meetings.points import find_meeting_point
from confnet.meetings.slots import LENGTHS, TimeRefused, local_moment, spoken_day
from confnet.meetings.text import one_line, paragraphs
from confnet.models import (
    Conference,
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    User,
)
from confnet.people.relations import blocked_between, lock_people
from confnet.timefmt import format_slot, format_time, tz_abbreviation

PLACE_MAX, NOTE_MAX = 160, 500
SAME_TIME = "That's the time already proposed — choose another one."


class MeetingRefused(DomainError):
    """``field``: the form field the message is about (``point``, ``place``, ``note``), or
    None for the time (and anything else)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MeetingRequest:
    """A proposed time and place, as the person chose it (local day and time)."""

    day: date
    clock: time
    minutes: int
    point_id: int | None  # None: somewhere else, named in ``place``
    place: str = ""
    note: str = ""


def when(meeting: Meeting, conference: Conference) -> str:
    """``Fri 26 Mar 10:00–10:30 CET``"""
    tz = conference.tz
    slot = format_slot(meeting.starts_at, meeting.ends_at, tz)
    return f"{slot} {tz_abbreviation(meeting.starts_at, tz)}"


@dataclass(frozen=True)
class Checked:
    """A request that passed every check but the clashes: UTC times, the place, the note."""

    starts_at: datetime
    ends_at: datetime
    point: MeetingPoint | None
    place: str
    note: str

    @property
    def span(self) -> tuple[datetime, datetime]:
        return self.starts_at, self.ends_at


def check_request(conference: Conference, request: MeetingRequest, now: datetime) -> Checked:
    """``request`` in UTC with its place and note cleaned, or MeetingRefused saying what is
    wrong (length, day, a time that doesn't exist, the past, the conference's hours, the
    place, the note)."""
    if request.minutes not in LENGTHS:
        raise MeetingRefused("Choose a length of 15, 20, 30, 45 or 60 minutes.")
    if not conference.starts_on <= request.day <= conference.ends_on:
        raise MeetingRefused("Choose one of the conference's days.")
    try:
        starts = local_moment(request.day, request.clock, conference.tz)
    except TimeRefused as err:
        raise MeetingRefused(err.message) from None
    ends = starts + timedelta(minutes=request.minutes)
    if starts <= now:
        raise MeetingRefused("That time has already passed. Choose a later one.")
    window = next(w for w in conference_windows(conference) if w.day == request.day)
    if not window.holds(starts, ends):
        tz = conference.tz
        hours = f"{format_time(window.opens_at, tz)}–{format_time(window.closes_at, tz)}"
        raise MeetingRefused(
            f"Meetings fit within the conference's hours: {hours} on {spoken_day(request.day)}."
        )
    point, place = _checked_place(conference, request)
    return Checked(starts, ends, point, place, _checked_note(request.note))


def _checked_place(
    conference: Conference, request: MeetingRequest
) -> tuple[MeetingPoint | None, str]:
    if request.point_id is not None:
        point = find_meeting_point(conference, request.point_id)
        if point is None:
            raise MeetingRefused(
                "That meeting point doesn't exist (any more). Choose another.", "point"
            )
        return point, ""
    place = one_line(request.place)
    if not place:
        raise MeetingRefused("Say where you'd like to meet, or choose a meeting point.", "place")
    if len(place) > PLACE_MAX:
        raise MeetingRefused(f"Keep the place within {PLACE_MAX} characters.", "place")
    return None, place


def _checked_note(note: str) -> str:
    note = paragraphs(note)
    if len(note) > NOTE_MAX:
        raise MeetingRefused(f"Keep the note within {NOTE_MAX} characters.", "note")
    return note


def ensure_free(
    conference: Conference,
    me: User,
    other: User,
    span: tuple[datetime, datetime],
    *,
    statuses: tuple[MeetingStatus, ...] = (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED),
    exclude: int | None = None,
) -> None:
    """Refuse ``span`` if it clashes with ``me``'s agenda (named) or ``other``'s (not named:
    what someone else does is theirs)."""
    busy = busy_times([me.id, other.id], span, statuses=statuses, exclude=exclude)
    for found in busy:
        if found.user_id == me.id:
            tz = conference.tz
            times = f"{format_time(found.starts_at, tz)}–{format_time(found.ends_at, tz)}"
            where = "" if found.meeting_id else " in your agenda"
            raise MeetingRefused(f"That time clashes with {found.title} ({times}){where}.")
    if busy:
        raise MeetingRefused(f"{other.name} isn't free then. Choose another time.")


def locked_meeting(meeting: Meeting, user: User, *, awaiting: bool = True) -> User:
    """Lock both people, re-read ``meeting`` and check that it still waits for ``user``'s
    answer (``awaiting=False``: that it is still on); returns the other person."""
    lock_people(meeting.host_id, meeting.guest_id)
    db.session.refresh(meeting)
    live = (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)
    if awaiting and (
        meeting.status is not MeetingStatus.PROPOSED or meeting.awaiting_id != user.id
    ):
        raise MeetingRefused("This meeting is no longer waiting for your answer.")
    if not awaiting and meeting.status not in live:
        raise MeetingRefused(_why_not_live(meeting, user))
    return db.session.get(User, meeting.other_id(user.id))


def _why_not_live(meeting: Meeting, user: User) -> str:
    """Why a meeting can't be called off, worded for ``user`` (never "declined" to the one
    who proposed it)."""
    if meeting.status is MeetingStatus.DECLINED:
        if meeting.awaiting_id == user.id:
            return "You already said no to this meeting."
        return "This time turned out not to be possible; there is nothing to withdraw."
    if meeting.accepted_at is None:
        return "This proposal was already withdrawn."
    return "This meeting was already cancelled."


def _ensure_connected(introduction: Introduction, booker: User, guest: User) -> None:
    """Re-read under the lock: the view's check may predate a block or a closed connection."""
    db.session.refresh(introduction)
    closed = introduction.status is not IntroductionStatus.ACCEPTED
    if closed or blocked_between(booker.id, guest.id):
        raise MeetingRefused(f"You can no longer book a meeting with {guest.name}.")


def _assign(meeting: Meeting, checked: Checked, now: datetime) -> None:
    meeting.starts_at, meeting.ends_at = checked.span
    meeting.meeting_point, meeting.place = checked.point, checked.place
    meeting.note, meeting.updated_at = checked.note, now


def book_meeting(
    introduction: Introduction,
    booker: User,
    conference: Conference,
    request: MeetingRequest,
    *,
    now: datetime,
    teller: Teller,
) -> Meeting:
    """``booker`` proposes a meeting to the other person of ``introduction`` (a connection;
    the view checks ``can_book_meeting``), who is notified. Refused, once both are locked, if
    the connection has closed since (a block, for instance)."""
    checked = check_request(conference, request, now)
    guest = db.session.get(User, introduction.other_id(booker.id))
    lock_people(booker.id, guest.id)
    _ensure_connected(introduction, booker, guest)
    ensure_free(conference, booker, guest, checked.span)
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=introduction.id,
        host_id=booker.id,
        guest_id=guest.id,
        awaiting_id=guest.id,
        status=MeetingStatus.PROPOSED,
        created_at=now,
    )
    _assign(meeting, checked, now)
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
    except IntegrityError:  # the meeting point was deleted at this very moment
        raise MeetingRefused(
            "That meeting point was just removed. Choose another.", "point"
        ) from None
    text = f"{booker.name} proposes to meet: {when(meeting, conference)}, {meeting.where}."
    teller.tell(guest, text, teller.meetings)
    return meeting


def propose_time(
    meeting: Meeting,
    user: User,
    conference: Conference,
    request: MeetingRequest,
    *,
    now: datetime,
    teller: Teller,
) -> Meeting:
    """The awaiting person proposes another time (and place, note) instead; the other person
    now has to answer it."""
    other = locked_meeting(meeting, user)
    checked = check_request(conference, request, now)
    if checked.span == (meeting.starts_at, meeting.ends_at):
        raise MeetingRefused(SAME_TIME)
    ensure_free(conference, user, other, checked.span, exclude=meeting.id)
    _assign(meeting, checked, now)
    meeting.awaiting_id = other.id
    meeting.sequence += 1
    db.session.flush()
    text = f"{user.name} proposes another time: {when(meeting, conference)}, {meeting.where}."
    teller.tell(other, text, teller.meetings)
    return meeting
