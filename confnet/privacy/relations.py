"""The parts of a person's data export that involve other people: introductions with their
messages, meetings, blocks, the reports they filed and the suggestions they set aside.

Other people appear only as far as the app shows them to this person:
- nobody who blocked the person is named (``name`` is None), except in the list of people the
  person blocked themself: the app leaves no trace of a blocker for the blocked, and neither
  does the export (the thread stays: the person's own messages, and what they were sent);
- an introduction's status reads as the person may know it: whoever asked never learns that
  the other one declined ("not available"), an introducer never learns which of the two said
  no ("won't go ahead"), and an introduction ended by a block is just "no longer open";
- reports about the person are not exported (that would name whoever reported them), nor are
  other people's answers beyond what the pages show.
"""

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from confnet.extensions import db
from confnet.models import (
    Answer,
    Block,
    Dismissal,
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingStatus,
    Message,
    Report,
    User,
)
from confnet.privacy.collect import Context, iso

Names = Callable[[int | None], str | None]


def names_for(ctx: Context, user_ids: set[int]) -> Names:
    """``name(user_id)``: the person's name, or None for a blocker of ``ctx.user`` (and for
    None, an account deleted since)."""
    me = ctx.user.id
    blockers = set(db.session.scalars(select(Block.blocker_id).filter_by(blocked_id=me)))
    wanted = user_ids - blockers - {me}
    found = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())
    found[me] = ctx.user.name
    return lambda user_id: found.get(user_id) if user_id is not None else None


def _pair_status(intro: Introduction, me: int) -> str:
    status, mine = intro.status, intro.answer_of(me)
    if status is IntroductionStatus.ACCEPTED:
        return "connected"
    if status is IntroductionStatus.PENDING:
        return "waiting for your answer" if mine is Answer.PENDING else "waiting for the other"
    if status is IntroductionStatus.DECLINED:
        return "you declined" if mine is Answer.DECLINED else "not available"
    if status is IntroductionStatus.WITHDRAWN:
        return "withdrawn"
    return "no longer open"


def _introducer_status(intro: Introduction) -> str:
    return {
        IntroductionStatus.ACCEPTED: "connected",
        IntroductionStatus.PENDING: "waiting for their answers",
        IntroductionStatus.WITHDRAWN: "withdrawn",
    }.get(intro.status, "won't go ahead")


def _role(intro: Introduction, me: int) -> str:
    if intro.requested_by_id == me:
        return "you asked"
    return "introduced to you" if intro.is_brokered else "asked you"


def _pair_view(ctx, intro: Introduction, name: Names, messages: list[Message]) -> dict:
    me = ctx.user.id
    return {
        "id": intro.id,
        "conference": ctx.slug(intro.conference_id),
        "role": _role(intro, me),
        "with": name(intro.other_id(me)),
        "introduced_by": name(intro.requested_by_id) if intro.is_brokered else None,
        "status": _pair_status(intro, me),
        "message": intro.message,
        "created_at": iso(intro.created_at),
        "decided_at": iso(intro.decided_at),
        "messages": [
            {"sent_by_you": m.sender_id == me, "sent_at": iso(m.created_at), "body": m.body}
            for m in messages
        ],
    }


def _introducer_view(ctx, intro: Introduction, name: Names) -> dict:
    return {
        "id": intro.id,
        "conference": ctx.slug(intro.conference_id),
        "role": "you introduced",
        "people": [name(intro.person_a_id), name(intro.person_b_id)],
        "status": _introducer_status(intro),
        "message": intro.message,
        "created_at": iso(intro.created_at),
    }


def introductions_of(ctx: Context) -> list[dict]:
    """Every introduction the person is one of the pair of, with its whole thread, and every
    one they made for others; oldest first."""
    me = ctx.user.id
    mine = or_(
        Introduction.person_a_id == me,
        Introduction.person_b_id == me,
        Introduction.requested_by_id == me,
    )
    intros = list(db.session.scalars(select(Introduction).where(mine).order_by(Introduction.id)))
    threads: dict[int, list[Message]] = defaultdict(list)
    in_pair = [i.id for i in intros if i.involves(me)]
    if in_pair:
        query = select(Message).where(Message.introduction_id.in_(in_pair)).order_by(Message.id)
        for message in db.session.scalars(query):
            threads[message.introduction_id].append(message)
    people = {p for i in intros for p in (i.person_a_id, i.person_b_id, i.requested_by_id)}
    name = names_for(ctx, people)
    return [
        _pair_view(ctx, i, name, threads[i.id])
        if i.involves(me)
        else _introducer_view(ctx, i, name)
        for i in intros
    ]


def meetings_of(ctx: Context) -> list[dict]:
    me = ctx.user.id
    query = (
        select(Meeting)
        .where(or_(Meeting.host_id == me, Meeting.guest_id == me))
        .options(joinedload(Meeting.meeting_point))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    meetings = list(db.session.scalars(query))
    name = names_for(ctx, {m.other_id(me) for m in meetings})
    return [
        {
            "id": m.id,
            "conference": ctx.slug(m.conference_id),
            "with": name(m.other_id(me)),
            "you_are": "host" if m.host_id == me else "guest",
            "status": m.status.value,
            "awaiting_your_answer": m.status is MeetingStatus.PROPOSED and m.awaiting_id == me,
            "starts_at": iso(m.starts_at),
            "ends_at": iso(m.ends_at),
            "place": m.where,
            "note": m.note,
            "proposed_at": iso(m.created_at),
            "accepted_at": iso(m.accepted_at),
        }
        for m in meetings
    ]


def blocks_of(ctx: Context) -> list[dict]:
    """The people this person blocked (never who blocked them)."""
    rows = db.session.execute(
        select(Block.created_at, User.name)
        .join(User, User.id == Block.blocked_id)
        .where(Block.blocker_id == ctx.user.id)
        .order_by(Block.created_at)
    )
    return [{"name": person, "since": iso(since)} for since, person in rows]


def reports_of(ctx: Context) -> list[dict]:
    """The reports this person filed (what the organizers did is theirs to tell)."""
    reports = list(
        db.session.scalars(select(Report).filter_by(reporter_id=ctx.user.id).order_by(Report.id))
    )
    name = names_for(ctx, {r.subject_id for r in reports})
    return [
        {
            "conference": ctx.slug(r.conference_id),
            "about": name(r.subject_id),
            "reason": r.reason,
            "created_at": iso(r.created_at),
        }
        for r in reports
    ]


def dismissals_of(ctx: Context) -> list[dict]:
    """Suggested people this person set aside."""
    rows = list(
        db.session.scalars(
            select(Dismissal).filter_by(user_id=ctx.user.id).order_by(Dismissal.created_at)
        )
    )
    name = names_for(ctx, {d.dismissed_id for d in rows})
    return [
        {
            "conference": ctx.slug(d.conference_id),
            "name": name(d.dismissed_id),
            "dismissed_at": iso(d.created_at),
        }
        for d in rows
    ]
