"""Your data: a copy of everything confnet holds about a person, and deleting their account
(in the spirit of the GDPR's rights of access, portability and erasure).

Export (``export_person_data``, ``render_markdown``, ``export_archive``): account, profile with
intents and contact details, memberships, agenda, workshop places, calendar feed settings,
introductions with their messages, meetings, private notes, the shared-note revisions they
wrote, blocks, reports and dismissed suggestions they made, speaker entries and notifications.
Other people appear only as the app shows them to this person (see ``confnet.privacy.relations``).
Left out on purpose: the password hash and login nonce (secrets, not facts about the person),
the calendar feed's address (a key: an export file is easily left lying around), the mail
outbox (it holds password-reset links), login-failure records (security logs that may concern
someone else), reports about them (they would name the reporter) and the audit log (the
organizers' record; memberships say when a profile was hidden).

Deletion (``delete_account``) deletes the ``users`` row rather than anonymising it: every table
that points at a person then follows its own foreign key, as the schema states for each (and as
any table added later must state too), so nothing is forgotten and nothing can be attached to
the account afterwards.
- CASCADE removes what is theirs: profile, offers, seeks and contact details, memberships,
  stars, calendar feed (its URL is dead at once), private notes, notifications, blocks either
  way, dismissed suggestions, reports they filed or that were about them, and introductions
  they were one of the pair of, with the thread and meetings (a conversation with someone who
  left goes for both: keeping the other half would keep theirs too).
- SET NULL keeps shared work and the organizers' records, without the person: shared-note
  revisions they wrote stay and read "a former attendee"; so do releases they published,
  reports they resolved, revisions they hid and audit entries by or about them. Speaker entries
  stay on the published programme (the organizers' record) but lose the link to the account.
What a cascade would get wrong is done first, by the services that own it:
- workshop places are given up through ``confnet.workshops.services.cancel_seat``, exactly as
  when the person cancels: the next person on the waitlist moves up and is told, and
  ``seats_taken`` stays the number of confirmed seats (a seat in a workshop that has already
  started, which cancelling refuses, only frees its count);
- introductions they made between two other people are the others' as well: pending ones are
  withdrawn, the rest are handed to one shared placeholder account, "Former attendee" (no
  password, no memberships, an ``.invalid`` address), so the two keep their connection, thread
  and meetings;
- mail to their address in the outbox and login records under it are deleted.
They are then logged out everywhere: the login cookie names an account that no longer exists.
Mentions of their name in text other people wrote (notes, messages) are those people's records
and stay. Refused: a wrong password, and the only site admin (nobody would be left to run it).
Services flush; the caller commits.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions.rules import involving
from confnet.models import (
    AuthEvent,
    Introduction,
    IntroductionStatus,
    OutboxMessage,
    Seat,
    SeatStatus,
    User,
)
from confnet.people.relations import lock_people
from confnet.privacy import collect, relations
from confnet.privacy.markdown import render_markdown
from confnet.workshops.notify import Notifier
from confnet.workshops.services import cancel_seat, free_seat

FORMAT = "confnet personal data"
VERSION = 1
FORMER_ATTENDEE_EMAIL = "former-attendee@confnet.invalid"
FORMER_ATTENDEE_NAME = "Former attendee"
NO_PASSWORD_HASH = "!"  # noqa: S105 (not a hash of anything: no password ever matches it)

__all__ = ["delete_account", "export_archive", "export_person_data", "render_markdown"]


class DeletionRefused(DomainError):
    pass


def export_person_data(user: User, *, now: datetime) -> dict:
    """Everything about ``user`` as JSON-ready values (see the module docstring), in a fixed
    layout: ``format``/``version`` say what it is, every section is always present."""
    ctx = collect.Context.of(user)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": collect.iso(now),
        "account": collect.account_of(ctx),
        "profile": collect.profile_of(ctx),
        "memberships": collect.memberships_of(ctx),
        "agenda": collect.agenda_of(ctx),
        "workshops": collect.workshops_of(ctx),
        "calendar_feed": collect.calendar_feed_of(ctx),
        "introductions": relations.introductions_of(ctx),
        "meetings": relations.meetings_of(ctx),
        "private_notes": collect.private_notes_of(ctx),
        "note_revisions": collect.note_revisions_of(ctx),
        "blocks": relations.blocks_of(ctx),
        "reports": relations.reports_of(ctx),
        "dismissed_suggestions": relations.dismissals_of(ctx),
        "speaker_entries": collect.speaker_entries_of(ctx),
        "notifications": collect.notifications_of(ctx),
    }
    data["conferences"] = ctx.listed()  # every conference the sections name, by slug
    return data


def export_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_archive(data: dict, *, now: datetime) -> bytes:
    """A zip holding the export as ``confnet-data.json`` and ``confnet-data.md``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("confnet-data.json", export_json(data)),
            ("confnet-data.md", render_markdown(data)),
        ):
            info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


@dataclass(frozen=True)
class Receipt:
    """What deleting an account did to other people: places given up, and who moved up."""

    places_given_up: int
    moved_up: int


def delete_account(user: User, password: str, *, now: datetime, notifier: Notifier) -> Receipt:
    """Delete ``user``'s account after checking their ``password`` (see the module docstring);
    ``notifier`` tells people who move up a waitlist. Raises ``DeletionRefused``."""
    if not check_password_hash(user.password_hash, password or ""):
        raise DeletionRefused("That password is not right.")
    _refuse_last_site_admin(user)
    lock_people(user.id)  # their own sign-ups, answers and saves wait for this to finish
    places, moved_up = _give_up_places(user, now, notifier)
    _hand_over_introductions(user, now)
    email = user.email
    db.session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.user_id == user.id, OutboxMessage.recipient == email)
        )
    )
    db.session.execute(delete(AuthEvent).where(AuthEvent.email == email))
    db.session.delete(user)
    db.session.flush()
    return Receipt(places, moved_up)


def _refuse_last_site_admin(user: User) -> None:
    if not user.is_site_admin:
        return
    admins = select(User.id).where(User.is_site_admin.is_(True))
    if db.session.get_bind().dialect.name == "postgresql":
        # Two admins leaving at once: the second waits here, then counts without the first.
        db.session.execute(admins.order_by(User.id).with_for_update()).all()
    if db.session.scalar(select(func.count()).select_from(admins.subquery())) <= 1:
        raise DeletionRefused(
            "You are the only site admin. Make someone else a site admin first, so that "
            "somebody can still run the site."
        )


def _give_up_places(user: User, now: datetime, notifier: Notifier) -> tuple[int, int]:
    """Give up every seat, waitlist place and lottery entry; returns (places, moved up)."""
    seats = db.session.scalars(
        select(Seat).filter_by(user_id=user.id).options(joinedload(Seat.item)).order_by(Seat.id)
    ).all()
    moved_up = 0
    for seat in seats:
        item = seat.item
        if now < item.starts_at:
            moved_up += len(cancel_seat(user, item, now=now, notifier=notifier))
            continue
        # Cancelling refuses a started workshop: nobody can take the seat any more, but the
        # counter must still match the confirmed seats.
        confirmed = seat.status is SeatStatus.CONFIRMED
        db.session.delete(seat)
        db.session.flush()
        if confirmed:
            free_seat(item)
    return len(seats), moved_up


def _hand_over_introductions(user: User, now: datetime) -> None:
    """Introductions ``user`` made between two others: pending ones are withdrawn, the rest
    pass to the placeholder account (their foreign key would otherwise delete them)."""
    made = (Introduction.requested_by_id == user.id) & not_(involving(user.id))
    db.session.execute(
        update(Introduction)
        .where(made, Introduction.status == IntroductionStatus.PENDING)
        .values(status=IntroductionStatus.WITHDRAWN, decided_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if db.session.scalar(select(Introduction.id).where(made).limit(1)) is None:
        return
    db.session.execute(
        update(Introduction)
        .where(made)
        .values(requested_by_id=former_attendee().id)
        .execution_options(synchronize_session="fetch")
    )


def former_attendee() -> User:
    """The shared placeholder for people who deleted their account, created on first use (two
    deletions at once share one: the email is unique)."""
    query = select(User).filter_by(email=FORMER_ATTENDEE_EMAIL)
    found = db.session.scalar(query)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            placeholder = User(
                email=FORMER_ATTENDEE_EMAIL,
                name=FORMER_ATTENDEE_NAME,
                password_hash=NO_PASSWORD_HASH,
            )
            db.session.add(placeholder)
        return placeholder
    except IntegrityError:  # the other deletion made it first
        return db.session.scalar(query)
