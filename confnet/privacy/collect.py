"""The parts of a person's data export that are theirs alone: account, profile, memberships,
agenda, workshop places, calendar feed settings, private notes, the shared-note revisions they
wrote, speaker entries linked to them and their notifications.

Each ``*_of`` function is one or two queries and returns plain JSON values (datetimes as ISO
8601 in UTC, enums as their values). Conferences are named by slug through ``Context``, which
also gathers them for the export's ``conferences`` list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from confnet.extensions import db
from confnet.models import (
    CalendarFeed,
    Conference,
    Membership,
    NoteRevision,
    Notification,
    PrivateNote,
    PublishedItem,
    ScheduleItem,
    Seat,
    SeatStatus,
    SharedNote,
    Speaker,
    Star,
    User,
)
from confnet.workshops.services import waitlist_position


def iso(moment: datetime | date | None) -> str | None:
    """ISO 8601 text (aware UTC datetimes keep their ``+00:00``), or None."""
    return moment.isoformat() if moment is not None else None


@dataclass
class Context:
    """What every section needs: the person, and the conferences they are named by."""

    user: User
    conferences: dict[int, Conference] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, user: User) -> "Context":
        # Every conference in one query: a site holds few, and sections name them freely.
        return cls(user, {c.id: c for c in db.session.scalars(select(Conference))})

    def slug(self, conference_id: int) -> str:
        self.used.add(conference_id)
        return self.conferences[conference_id].slug

    def listed(self) -> list[dict]:
        """The conferences the sections named, for the export's ``conferences``."""
        return [
            {
                "slug": c.slug,
                "name": c.name,
                "timezone": c.timezone,
                "starts_on": iso(c.starts_on),
                "ends_on": iso(c.ends_on),
            }
            for c in sorted((self.conferences[i] for i in self.used), key=lambda c: c.starts_on)
        ]


def _session(ctx: Context, conference_id: int, item_id: int, item: PublishedItem | None) -> dict:
    """A session as attendees see it: the published version, never an organizer's draft (so
    no title when it was never published)."""
    return {
        "conference": ctx.slug(conference_id),
        "session_id": item_id,
        "title": item.title if item else None,
        "starts_at": iso(item.starts_at) if item else None,
        "ends_at": iso(item.ends_at) if item else None,
    }


def account_of(ctx: Context) -> dict:
    user = ctx.user
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "site_admin": user.is_site_admin,
        "created_at": iso(user.created_at),
    }


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def profile_of(ctx: Context) -> dict | None:
    profile = ctx.user.profile
    if profile is None:
        return None
    return {
        "profession": profile.profession.value if profile.profession else None,
        "career_stage": profile.career_stage.value if profile.career_stage else None,
        "specialty": profile.specialty,
        "sub_specialty": profile.sub_specialty,
        "organization": profile.organization,
        "city": profile.city,
        "country": profile.country,
        "bio": profile.bio,
        "interests": _list(profile.interests),
        "languages": _list(profile.languages),
        "offers": sorted(offer.value for offer in profile.offer_set),
        "seeks": sorted(seek.value for seek in profile.seek_set),
        "contact": {
            "email": profile.contact_email,
            "phone": profile.phone,
            "links": profile.link_list,
        },
    }


def memberships_of(ctx: Context) -> list[dict]:
    query = select(Membership).filter_by(user_id=ctx.user.id).order_by(Membership.joined_at)
    return [
        {
            "conference": ctx.slug(m.conference_id),
            "role": m.role.value,
            "joined_at": iso(m.joined_at),
            "visibility": m.visibility.value,
            "hidden_by_organizers_at": iso(m.profile_hidden_at),
        }
        for m in db.session.scalars(query)
    ]


def agenda_of(ctx: Context) -> list[dict]:
    """Starred sessions, in programme order."""
    rows = db.session.execute(
        select(Star, ScheduleItem.conference_id, PublishedItem)
        .join(ScheduleItem, ScheduleItem.id == Star.item_id)
        .outerjoin(PublishedItem, PublishedItem.item_id == Star.item_id)
        .where(Star.user_id == ctx.user.id)
        .order_by(PublishedItem.starts_at, Star.item_id)
    )
    return [
        {**_session(ctx, conference_id, star.item_id, item), "starred_at": iso(star.created_at)}
        for star, conference_id, item in rows
    ]


def workshops_of(ctx: Context) -> list[dict]:
    """Seats, waitlist places (with the place in the queue now) and lottery entries."""
    rows = db.session.execute(
        select(Seat, ScheduleItem.conference_id, PublishedItem)
        .join(ScheduleItem, ScheduleItem.id == Seat.item_id)
        .outerjoin(PublishedItem, PublishedItem.item_id == Seat.item_id)
        .where(Seat.user_id == ctx.user.id)
        .order_by(PublishedItem.starts_at, Seat.id)
    )
    return [
        {
            **_session(ctx, conference_id, seat.item_id, item),
            "status": seat.status.value,
            "waitlist_place": waitlist_position(seat)
            if seat.status is SeatStatus.WAITLISTED
            else None,
            "signed_up_at": iso(seat.created_at),
            "confirmed_at": iso(seat.confirmed_at),
            "checked_in_at": iso(seat.checked_in_at),
        }
        for seat, conference_id, item in rows
    ]


def calendar_feed_of(ctx: Context) -> dict | None:
    """The feed's settings: never its address, token or salt (the address is a key to the
    person's agenda, and an export file is easily left lying around)."""
    feed = db.session.scalar(select(CalendarFeed).filter_by(user_id=ctx.user.id))
    if feed is None:
        return None
    return {
        "reminder_minutes": feed.reminder_minutes,
        "created_at": iso(feed.created_at),
        "address_created_at": iso(feed.token_created_at),
        "last_changed_at": iso(feed.version_at),
    }


def private_notes_of(ctx: Context) -> list[dict]:
    rows = db.session.execute(
        select(PrivateNote, PublishedItem)
        .outerjoin(PublishedItem, PublishedItem.item_id == PrivateNote.item_id)
        .where(PrivateNote.user_id == ctx.user.id)
        .order_by(PrivateNote.conference_id, PublishedItem.starts_at.nulls_first())
    )
    notes = []
    for note, item in rows:
        notes.append(
            {
                **_session(ctx, note.conference_id, note.item_id, item),
                "whole_conference": note.item_id is None,
                "body": note.body,
                "updated_at": iso(note.updated_at),
            }
        )
    return notes


def note_revisions_of(ctx: Context) -> list[dict]:
    """Every shared-note revision the person saved, hidden ones included (their text is the
    person's; ``hidden_by_organizers`` says nobody else sees it any more)."""
    rows = db.session.execute(
        select(NoteRevision, SharedNote.conference_id, SharedNote.item_id, PublishedItem)
        .join(SharedNote, SharedNote.id == NoteRevision.note_id)
        .outerjoin(PublishedItem, PublishedItem.item_id == SharedNote.item_id)
        .where(NoteRevision.author_id == ctx.user.id)
        .order_by(NoteRevision.created_at, NoteRevision.id)
    )
    return [
        {
            **_session(ctx, conference_id, item_id, item),
            "revision": revision.number,
            "saved_at": iso(revision.created_at),
            "restored_from": revision.restored_from,
            "hidden_by_organizers": revision.hidden_at is not None,
            "body": revision.body,
        }
        for revision, conference_id, item_id, item in rows
    ]


def speaker_entries_of(ctx: Context) -> list[dict]:
    query = select(Speaker).filter_by(user_id=ctx.user.id).order_by(Speaker.id)
    return [
        {"conference": ctx.slug(s.conference_id), "name": s.name, "bio": s.bio}
        for s in db.session.scalars(query)
    ]


def notifications_of(ctx: Context) -> list[dict]:
    query = select(Notification).filter_by(user_id=ctx.user.id).order_by(Notification.id)
    return [
        {
            "text": n.text,
            "link": n.url,
            "created_at": iso(n.created_at),
            "read_at": iso(n.read_at),
        }
        for n in db.session.scalars(query)
    ]
