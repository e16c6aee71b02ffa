"""What a person's introductions page lists. Everything involving somebody in a block with the
viewer (either direction) is left out, so a blocked person finds no trace of the blocker."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import not_, or_, select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.introductions.access import may_introduce
from confnet.introductions.answers import awaits_answer_of
from confnet.introductions.rules import COOLDOWN, involving
from confnet.models import Conference, Introduction, IntroductionStatus, Membership, User
from confnet.people.relations import blocked_ids

LIST_MAX = 100


@dataclass(frozen=True)
class Entry:
    """An introduction as seen by one of its pair: ``person`` is the other one."""

    intro: Introduction
    person: User


@dataclass
class Inbox:
    requests: list[Entry] = field(default_factory=list)  # direct, waiting for my answer
    brokered: list[Entry] = field(default_factory=list)  # by a third person, waiting for me
    waiting: list[Entry] = field(default_factory=list)  # brokered, I said yes, the other hasn't
    sent: list[Entry] = field(default_factory=list)  # my requests: pending or not available
    introduced: list[Introduction] = field(default_factory=list)  # introductions I made
    connections: list[Entry] = field(default_factory=list)
    # Who of the people waiting for an answer may be reported here (members of the conference;
    # an introduction exists, so ``may_report`` holds otherwise): asked once for the whole page.
    reportable: set[int] = field(default_factory=set)

    def people(self) -> list[User]:
        """Everybody the page shows."""
        lists = (self.requests, self.brokered, self.waiting, self.sent, self.connections)
        shown = [entry.person for entries in lists for entry in entries]
        for intro in self.introduced:
            shown += [intro.person_a, intro.person_b]
        return shown


# The people of each introduction and their profiles, loaded with it: the page lists them all,
# and a fixed number of queries serves any number of introductions.
PEOPLE = tuple(
    selectinload(relation).selectinload(User.profile)
    for relation in (Introduction.person_a, Introduction.person_b, Introduction.requested_by)
)


def _entry(intro: Introduction, user: User) -> Entry:
    person = intro.person_b if intro.person_a_id == user.id else intro.person_a
    return Entry(intro, person)


def _clear(intro: Introduction, user: User, hidden: set[int]) -> bool:
    others = {intro.person_a_id, intro.person_b_id, intro.requested_by_id} - {user.id}
    return not others & hidden


def connections_of(user: User) -> list[Entry]:
    """``user``'s connections in every conference (not across a block), newest first."""
    query = (
        select(Introduction)
        .where(involving(user.id), Introduction.status == IntroductionStatus.ACCEPTED)
        .order_by(Introduction.decided_at.desc(), Introduction.id.desc())
        .limit(LIST_MAX)
        .options(*PEOPLE)
    )
    hidden = blocked_ids(user.id)
    return [_entry(i, user) for i in db.session.scalars(query) if _clear(i, user, hidden)]


def introducible_people(user: User, conference: Conference) -> list[User]:
    """The connections ``user`` may introduce to each other in ``conference``."""
    people = [entry.person for entry in connections_of(user)]
    return [person for person in people if may_introduce(user, person, conference)]


def _sort_mine(inbox: Inbox, intro: Introduction, user: User) -> None:
    entry = _entry(intro, user)
    if awaits_answer_of(intro, user.id):
        (inbox.brokered if intro.is_brokered else inbox.requests).append(entry)
    elif intro.requested_by_id == user.id:
        inbox.sent.append(entry)
    elif intro.status is IntroductionStatus.PENDING:
        inbox.waiting.append(entry)


def inbox_of(user: User, conference: Conference, now: datetime) -> Inbox:
    """``user``'s introductions in ``conference``: what waits for them, what they asked (pending,
    or not available within the cool-down), what they brokered (with its outcome, never who
    said no); connections from anywhere. A brokered introduction is never one of "my requests":
    the introducer finds it among those they made, the two among what waits for them."""
    recent = Introduction.decided_at > now - COOLDOWN
    query = (
        select(Introduction)
        .where(
            Introduction.conference_id == conference.id,
            or_(involving(user.id), Introduction.requested_by_id == user.id),
            or_(
                Introduction.status == IntroductionStatus.PENDING,
                (Introduction.status == IntroductionStatus.DECLINED) & recent,
                # introductions they made keep their outcome in the list, whatever it was
                (Introduction.requested_by_id == user.id) & not_(involving(user.id)),
            ),
        )
        .order_by(Introduction.id.desc())
        .limit(LIST_MAX)
        .options(*PEOPLE)
    )
    inbox, hidden = Inbox(), blocked_ids(user.id)
    for intro in db.session.scalars(query):
        if not _clear(intro, user, hidden):
            continue
        if not intro.involves(user.id):
            inbox.introduced.append(intro)
        elif intro.status in (IntroductionStatus.PENDING, IntroductionStatus.DECLINED):
            _sort_mine(inbox, intro, user)
    inbox.connections = connections_of(user)
    inbox.reportable = _members(conference, [entry.person.id for entry in inbox.requests])
    return inbox


def _members(conference: Conference, user_ids: list[int]) -> set[int]:
    if not user_ids:
        return set()
    query = select(Membership.user_id).where(
        Membership.conference_id == conference.id, Membership.user_id.in_(user_ids)
    )
    return set(db.session.scalars(query))
