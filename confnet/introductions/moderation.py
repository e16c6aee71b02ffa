"""Blocks and reports: the tools against unwanted contact.

A block is global and silent: the blocked person is not told. It ends every live introduction
between the two (and pending ones either brokered for the other), and cancels their proposed or
accepted meetings so that calendar feeds show the cancellation. Unblocking restores nothing.
A report goes to the conference's organizers, who may hide the reported profile there.
Services flush; the caller commits.
"""

from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.introductions.rules import (
    LIVE,
    REASON_MAX,
    IntroductionRefused,
    clean_text,
    involving,
    pair_is,
)
from confnet.models import (
    Block,
    Conference,
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Report,
    Role,
    User,
)
from confnet.people.relations import lock_people


class ModerationRefused(IntroductionRefused):
    pass


def block_person(blocker: User, blocked: User, *, now: datetime) -> None:
    """``blocker`` blocks ``blocked`` (idempotent). Ends their introductions and cancels their
    meetings in the same transaction; nobody is notified."""
    if blocker.id == blocked.id:
        raise ModerationRefused("You can't block yourself.")
    # Both rows: a request, an introduction or a meeting of the two being made right now waits
    # for the block (and then sees it) or is already there (and is ended below).
    lock_people(blocker.id, blocked.id)
    if db.session.get(Block, (blocker.id, blocked.id)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id, created_at=now))
                db.session.flush()
        except IntegrityError:  # the same block, twice at once: one is enough
            pass
    _end_introductions(blocker.id, blocked.id, now)
    _cancel_meetings(blocker.id, blocked.id, now)


def _end_introductions(x_id: int, y_id: int, now: datetime) -> None:
    pair = pair_is(x_id, y_id)
    brokered = or_(  # one of them introducing the other to somebody
        and_(Introduction.requested_by_id == x_id, involving(y_id)),
        and_(Introduction.requested_by_id == y_id, involving(x_id)),
    )
    db.session.execute(
        update(Introduction)
        .where(
            or_(
                and_(pair, Introduction.status.in_(LIVE)),
                and_(brokered, Introduction.status == IntroductionStatus.PENDING),
            )
        )
        .values(status=IntroductionStatus.ENDED, decided_at=now)
        .execution_options(synchronize_session="fetch")
    )


def _cancel_meetings(x_id: int, y_id: int, now: datetime) -> None:
    """One UPDATE: every proposed or accepted meeting of the two is cancelled, and its
    ``sequence`` moves on so that calendar clients replace their copy."""
    between = or_(
        and_(Meeting.host_id == x_id, Meeting.guest_id == y_id),
        and_(Meeting.host_id == y_id, Meeting.guest_id == x_id),
    )
    db.session.execute(
        update(Meeting)
        .where(between, Meeting.status.in_((MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)))
        .values(
            status=MeetingStatus.CANCELLED,
            awaiting_id=None,
            sequence=Meeting.sequence + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session="fetch")
    )


def unblock_person(blocker: User, blocked: User) -> None:
    """Lift a block. Introductions it ended stay ended."""
    gone = db.session.execute(delete(Block).filter_by(blocker_id=blocker.id, blocked_id=blocked.id))
    if gone.rowcount == 0:
        raise ModerationRefused(f"You haven't blocked {blocked.name}.")


def blocks_of(user: User) -> list[Block]:
    """The people ``user`` blocked, most recent first (in every conference)."""
    query = select(Block).filter_by(blocker_id=user.id).order_by(Block.created_at.desc())
    return list(db.session.scalars(query))


def _already_reported(subject: User) -> ModerationRefused:
    return ModerationRefused(f"You already reported {subject.name}; the organizers have it.")


def report_person(
    reporter: User, subject: User, conference: Conference, reason: str, *, now, teller: Teller
) -> Report:
    """Tell the organizers of ``conference`` about ``subject``; one report per reporter and
    subject per conference. The organizers are notified without names: details are on the
    reports page. The subject is never told; when the subject can manage the conference (an
    organizer, a site admin), the site admins are told too, so that someone besides them acts."""
    if reporter.id == subject.id:
        raise ModerationRefused("You can't report yourself.")
    text = clean_text(reason, REASON_MAX, "what happened", "your report")
    report = Report(
        conference_id=conference.id,
        reporter_id=reporter.id,
        subject_id=subject.id,
        reason=text,
        created_at=now,
    )
    if db.session.scalar(select(Report.id).filter_by(**_key(report))) is not None:
        raise _already_reported(subject)
    try:
        with db.session.begin_nested():
            db.session.add(report)
            db.session.flush()
    except IntegrityError:
        raise _already_reported(subject) from None
    for moderator in _moderators_for(conference, subject):
        teller.tell(
            moderator,
            f"A member of {conference.name} reported a profile. Please review the reports.",
            teller.reports,
        )
    return report


def _key(report: Report) -> dict:
    return {
        "conference_id": report.conference_id,
        "reporter_id": report.reporter_id,
        "subject_id": report.subject_id,
    }


def _moderators_for(conference: Conference, subject: User) -> list[User]:
    """Who hears of a report about ``subject``: the conference's organizers, and the site admins
    when ``subject`` is an organizer or a site admin; never ``subject``."""
    organizer = select(Membership.user_id).where(
        Membership.conference_id == conference.id, Membership.role == Role.ORGANIZER
    )
    manages = (
        subject.is_site_admin
        or db.session.scalar(organizer.where(Membership.user_id == subject.id)) is not None
    )
    who = User.id.in_(organizer)
    if manages:
        who = or_(who, User.is_site_admin.is_(True))
    query = select(User).where(who, User.id != subject.id).order_by(User.id)
    return list(db.session.scalars(query))
