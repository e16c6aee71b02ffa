"""Meeting points: the places organizers set aside for short meetings.

Names are unique per conference without regard to case: the check runs with the conference's
row locked (PostgreSQL; SQLite serialises every POST), so two organizers adding "Lounge" and
"lounge" at once get one of them; the unique constraint backs up the exact spelling.

Deleting a point keeps the meetings booked there: each keeps a copy of the point's name as its
free-text ``place``, so both people still see where they meet (the point's details are gone
with it).
"""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.meetings.text import one_line, paragraphs
from confnet.models import Conference, Meeting, MeetingPoint

NAME_MAX, DETAILS_MAX = 120, 300


class PointRefused(DomainError):
    pass


def meeting_points_of(conference: Conference) -> list[MeetingPoint]:
    return list(
        db.session.scalars(
            select(MeetingPoint)
            .filter_by(conference_id=conference.id)
            .order_by(func.lower(MeetingPoint.name), MeetingPoint.id)
        )
    )


def find_meeting_point(conference: Conference, point_id: int) -> MeetingPoint | None:
    point = db.session.get(MeetingPoint, point_id) if 0 < point_id < 2**31 else None
    return point if point is not None and point.conference_id == conference.id else None


def add_meeting_point(conference: Conference, name: str, details: str = "") -> MeetingPoint:
    """A new meeting point; refused when the name is empty, too long or already taken."""
    name, details = one_line(name), paragraphs(details)
    if not name:
        raise PointRefused("Give the meeting point a name.")
    if len(name) > NAME_MAX or len(details) > DETAILS_MAX:
        raise PointRefused(
            f"Keep the name within {NAME_MAX} characters and the details within {DETAILS_MAX}."
        )
    taken = PointRefused(f"There is already a meeting point called “{name}”.")
    lock = select(Conference.id).where(Conference.id == conference.id)
    db.session.execute(lock.with_for_update(key_share=True)).all()
    same = select(MeetingPoint.id).where(
        MeetingPoint.conference_id == conference.id,
        func.lower(MeetingPoint.name) == name.lower(),
    )
    if db.session.scalar(same) is not None:
        raise taken
    point = MeetingPoint(conference_id=conference.id, name=name, details=details)
    try:
        with db.session.begin_nested():
            db.session.add(point)
    except IntegrityError:  # another organizer added the same name at the same moment
        raise taken from None
    return point


def delete_meeting_point(point: MeetingPoint, *, now: datetime) -> int:
    """Delete ``point``; the meetings there keep its name as their place (see the module
    docstring). Returns how many meetings were booked there. The point's row is locked
    first, so a meeting booked there at the same moment either waits and then fails (the
    booking says so) or is already counted here."""
    db.session.execute(select(MeetingPoint.id).where(MeetingPoint.id == point.id).with_for_update())
    moved = db.session.execute(
        update(Meeting)
        .where(Meeting.meeting_point_id == point.id)
        .values(meeting_point_id=None, place=point.name[:160], updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.delete(point)
    db.session.flush()
    db.session.expire_all()  # meetings loaded earlier still name the point
    return moved
