"""Editing the draft programme: sessions (``ScheduleItem``) with speakers, tags and links.

``save_item`` checks every field before it changes anything, so a refused save leaves nothing
half-done: it raises ``InvalidInput`` listing what each field must correct. Attendees see none
of these edits until the next release (``confnet.releases.services.publish_schedule``), except
links, which are live at once.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemKind,
    ItemLink,
    Membership,
    PublishedItem,
    Role,
    Room,
    ScheduleItem,
    Speaker,
    Track,
    User,
)
from confnet.programme.parsing import (
    FieldError,
    InvalidInput,
    LinkLine,
    SpeakerLine,
    clean_name,
    local_moment,
    parse_links,
    parse_speakers,
    parse_tags,
)
from confnet.programme.venues import CAPACITY_MAX, lock_programme
from confnet.timefmt import format_date_range

TITLE_MAX, ABSTRACT_MAX = 200, 10_000
MAX_ID = 2**31 - 1  # PostgreSQL's integer: larger ids cannot exist (and must not reach SQL)
DAYS_AROUND = 7  # sessions may sit up to a week before or after the conference (pre-courses)


class ItemRefused(DomainError):
    """The session cannot be changed that way (e.g. deleting one attendees have seen)."""


@dataclass
class ItemInput:
    """A session as typed in the form; times are wall-clock times in the conference's zone."""

    title: str
    day: date
    starts: time
    ends: time
    kind: ItemKind = ItemKind.TALK
    abstract: str = ""
    track_id: int | None = None
    room_id: int | None = None
    speakers: str = ""
    tags: str = ""
    links: str = ""
    capacity: int | None = None
    signup_required: bool = False


@dataclass
class SavedItem:
    item: ScheduleItem
    notes: list[str] = field(default_factory=list)  # things the organizer should know


@dataclass
class _Clean:
    values: dict
    speakers: list[SpeakerLine]
    links: list[LinkLine]


def _kind(kind) -> ItemKind:
    try:
        return ItemKind(kind)
    except ValueError:
        raise FieldError("kind", "Choose one of the listed kinds.") from None


def _abstract(text: str | None) -> str:
    abstract = (text or "").strip()
    if len(abstract) > ABSTRACT_MAX:
        raise FieldError("abstract", f"At most {ABSTRACT_MAX} characters.")
    return abstract


def _owned(model, obj_id: int | None, conference: Conference, what: str):
    if obj_id is None:
        return None
    obj = db.session.get(model, obj_id) if 0 < obj_id <= MAX_ID else None
    if obj is None or obj.conference_id != conference.id:
        raise FieldError(what, f"Choose one of this conference's {what}s.")
    return obj


def allowed_days(conference: Conference) -> tuple[date, date]:
    """The first and last day a session may be on: the conference's days and a week around."""
    around = timedelta(days=DAYS_AROUND)
    return conference.starts_on - around, conference.ends_on + around


def _check_times(conference: Conference, data: ItemInput) -> dict:
    first, last = allowed_days(conference)
    if not first <= data.day <= last:
        dates = format_date_range(conference.starts_on, conference.ends_on)
        raise FieldError("day", f"Pick a day during the conference ({dates}) or close to it.")
    starts_at = local_moment(data.day, data.starts, conference.tz, "starts")
    ends_at = local_moment(data.day, data.ends, conference.tz, "ends")
    if ends_at <= starts_at:
        raise FieldError("ends", "The end must be after the start (on the same day).")
    return {"starts_at": starts_at, "ends_at": ends_at}


def _check_capacity(data: ItemInput) -> dict:
    if data.capacity is not None and not 0 < data.capacity <= CAPACITY_MAX:
        raise FieldError("capacity", f"A whole number from 1 to {CAPACITY_MAX}, or empty.")
    if data.signup_required and data.capacity is None:
        raise FieldError("signup_required", "Sign-up needs a capacity: how many places are there?")
    return {"capacity": data.capacity, "signup_required": bool(data.signup_required)}


def _clean(conference: Conference, data: ItemInput) -> _Clean:
    """Every field checked; all problems are reported together as ``InvalidInput``."""
    errors: dict[str, str] = {}

    def check(fn):
        try:
            return fn()
        except FieldError as err:
            errors.setdefault(err.field, err.message)
            return None

    values: dict = {
        "kind": check(lambda: _kind(data.kind)),
        "title": check(lambda: clean_name(data.title, "title", TITLE_MAX)),
        "abstract": check(lambda: _abstract(data.abstract)),
        "track": check(lambda: _owned(Track, data.track_id, conference, "track")),
        "room": check(lambda: _owned(Room, data.room_id, conference, "room")),
        "tags": check(lambda: parse_tags(data.tags or "")),
    }
    values.update(check(lambda: _check_times(conference, data)) or {})
    values.update(check(lambda: _check_capacity(data)) or {})
    parsed = {
        "links": check(lambda: parse_links(data.links or "")),
        "speakers": check(lambda: parse_speakers(data.speakers or "")),
    }
    if errors:
        raise InvalidInput(errors)
    return _Clean(values, parsed["speakers"], parsed["links"])


def save_item(conference: Conference, data: ItemInput, item: ScheduleItem | None = None):
    """Create a session (``item`` None) or update ``item``; returns ``SavedItem``.

    Speakers are matched by name (case-insensitively) among the conference's speakers and
    created when new; ``Name <email>`` links the speaker to the account with that email, which
    then gets at least the speaker role here. Conflicts are allowed: they block publishing.
    """
    if item is not None and item.conference_id != conference.id:
        raise ItemRefused("That session belongs to another conference.")
    clean = _clean(conference, data)
    lock_programme(conference)
    _keep_taken_seats(item, clean.values.get("capacity"))
    speakers, notes = _resolve_speakers(conference, clean.speakers)
    if item is None:
        item = ScheduleItem(conference_id=conference.id)
        db.session.add(item)
    for name, value in clean.values.items():
        setattr(item, name, value)
    item.speakers = speakers
    item.links = [
        ItemLink(label=link.label, url=link.url, position=n) for n, link in enumerate(clean.links)
    ]
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a sign-up took a seat since the check: the CHECK constraint held
        raise InvalidInput({"capacity": _SEATS_TAKEN}) from None
    return SavedItem(item, notes)


_SEATS_TAKEN = "More seats are already taken than that: give people's seats back first."


def _keep_taken_seats(item: ScheduleItem | None, capacity: int | None) -> None:
    """Workshop seats already given out must still fit (see confnet.workshops)."""
    taken = item.seats_taken if item is not None else 0
    if taken and (capacity is None or capacity < taken):
        raise InvalidInput(
            {"capacity": f"{taken} seats are already taken: the capacity can't go below that."}
        )


def _resolve_speakers(conference: Conference, lines: list[SpeakerLine]):
    existing: dict[str, Speaker] = {}
    for speaker in db.session.scalars(
        select(Speaker).filter_by(conference_id=conference.id).order_by(Speaker.id)
    ):
        existing.setdefault(speaker.name.casefold(), speaker)
    emails = {line.email for line in lines if line.email}
    users = (
        {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
        if emails
        else {}
    )
    speakers, notes = [], []
    for line in lines:
        speaker = existing.get(line.name.casefold())
        if speaker is None:
            speaker = Speaker(conference_id=conference.id, name=line.name)
            db.session.add(speaker)
        user = users.get(line.email) if line.email else None
        if user is not None:
            speaker.user_id = user.id
            _ensure_speaker_role(conference, user)
        elif line.email:
            notes.append(f"No account uses {line.email}, so {line.name} has no login linked.")
        speakers.append(speaker)
    return speakers, notes


def _ensure_speaker_role(conference: Conference, user: User) -> None:
    query = select(Membership).filter_by(conference_id=conference.id, user_id=user.id)
    membership = db.session.scalar(query)
    if membership is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Membership(conference_id=conference.id, user_id=user.id, role=Role.SPEAKER)
                )
            return
        except IntegrityError:  # they joined at this very moment
            membership = db.session.scalar(query)
    if membership.role.rank < Role.SPEAKER.rank:
        membership.role = Role.SPEAKER


def speaker_text(item: ScheduleItem) -> str:
    """The speakers as the form shows them: ``Name <email>`` for those linked to an account."""
    ids = [s.user_id for s in item.speakers if s.user_id]
    emails = (
        dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
        if ids
        else {}
    )
    return "\n".join(
        f"{s.name} <{emails[s.user_id]}>" if s.user_id in emails else s.name for s in item.speakers
    )


def link_text(item: ScheduleItem) -> str:
    return "\n".join(f"{link.label} | {link.url}" for link in item.links)


def is_published(item: ScheduleItem) -> bool:
    query = select(PublishedItem.item_id).filter_by(item_id=item.id)
    return db.session.scalar(query) is not None


def set_cancelled(item: ScheduleItem, cancelled: bool) -> None:
    """Cancel or restore a session; attendees see it with the next release."""
    item.cancelled = cancelled
    db.session.flush()


def delete_item(conference: Conference, item: ScheduleItem) -> None:
    """Delete a session attendees have never seen; published ones must be cancelled instead."""
    lock_programme(conference)
    if is_published(item):
        raise ItemRefused(
            f"“{item.title}” has been published and may be in attendees' agendas, so it can't "
            "be deleted. Cancel it instead: attendees will see it as cancelled."
        )
    db.session.delete(item)
    db.session.flush()
