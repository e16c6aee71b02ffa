"""The thread of a connection, and the contact details it reveals.

Only the two people of an accepted introduction write here, and only while neither blocked the
other; ``post_message`` re-checks both on fresh, locked data so that a message cannot slip into
a thread that a block has just closed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from confnet.accounts.services import safe_link
from confnet.extensions import db
from confnet.introductions.notify import Teller
from confnet.introductions.rules import (
    REPLY_MAX,
    IntroductionRefused,
    clean_text,
    lock_introduction,
)
from confnet.models import Introduction, IntroductionStatus, Message, Profile, User
from confnet.people.relations import blocked_between, lock_people

# A second identical post within this window is the same message sent twice (a double tap, a
# retried POST on a slow network), not a new one.
REPEAT_WINDOW = timedelta(minutes=5)
# A busy conversation notifies once an hour while the notification is unread, not per message.
QUIET_HOUR = timedelta(hours=1)


def thread_of(intro: Introduction) -> list[Message]:
    """The messages of ``intro``, oldest first."""
    query = select(Message).filter_by(introduction_id=intro.id).order_by(Message.id)
    return list(db.session.scalars(query))


def post_message(
    intro: Introduction, sender: User, body: str, *, now: datetime, teller: Teller
) -> Message:
    """Add ``body`` (required, ``REPLY_MAX`` characters at most) to the thread and tell the other
    person (without quoting it: emails travel further than the app). Raises
    ``IntroductionRefused`` when the thread is closed.

    A conversation makes at most one notification (and email) an hour while it is unread.

    Idempotent for repeats: when the sender's latest message in this thread has the same text and
    is less than ``REPEAT_WINDOW`` old, that message is returned and nothing new is stored or
    told. Decided under both people's row locks, so two identical posts at once make one."""
    text = clean_text(body, REPLY_MAX, "a message")
    other_id = intro.other_id(sender.id)
    lock_people(sender.id, other_id)  # people first, then the introduction: as a block does
    lock_introduction(intro)
    closed = intro.status is not IntroductionStatus.ACCEPTED or not intro.involves(sender.id)
    if closed or blocked_between(sender.id, other_id):
        raise IntroductionRefused("This conversation is closed.")
    repeat = _latest_from(intro, sender, since=now - REPEAT_WINDOW)
    if repeat is not None and repeat.body == text:
        return repeat
    message = Message(introduction_id=intro.id, sender_id=sender.id, body=text, created_at=now)
    db.session.add(message)
    db.session.flush()
    teller.messenger.tell_unless_waiting(
        db.session.get(User, other_id),
        f"{sender.name} sent you a message on confnet.",
        teller.connection(intro),
        now=now,
        within=QUIET_HOUR,
    )
    return message


def _latest_from(intro: Introduction, sender: User, *, since: datetime) -> Message | None:
    query = (
        select(Message)
        .filter_by(introduction_id=intro.id, sender_id=sender.id)
        .where(Message.created_at > since)
        .order_by(Message.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


@dataclass(frozen=True)
class Contact:
    """What a connection shows of the other person: ``links`` pairs each line with its safe
    href (None when the line is not a safe http(s) URL)."""

    email: str
    phone: str
    links: list[tuple[str, str | None]]

    @property
    def tel(self) -> str:
        """The phone number for a ``tel:`` link: its digits, with the leading + if it has one."""
        digits = "".join(ch for ch in self.phone if ch.isascii() and ch.isdigit())
        return ("+" if self.phone.strip().startswith("+") else "") + digits

    @property
    def empty(self) -> bool:
        return not (self.email or self.phone or self.links)


def contact_of(person: User) -> Contact:
    """``person``'s contact details; only call it for a connection (see ``can_message``)."""
    profile: Profile | None = person.profile
    if profile is None:
        return Contact("", "", [])
    links = [(line, safe_link(line)) for line in profile.link_list]
    return Contact(profile.contact_email, profile.phone, links)
