"""Published sessions as calendar events, the same way in every feed.

A session's UID is its published ``guid`` (it never changes when the session moves or is
renamed), so the personal feed, the conference feed and the single-session file all describe the
same event. SEQUENCE is the published item's ``sequence`` (raised by every release that moves,
renames, re-rooms, cancels or restores it); in a personal feed, the person's workshop place
adds the step it reached (in the draw 1, waitlisted 2, seat confirmed 3), as the title and
status change with it. Places only move forward, except when someone gives up a place in a
session they also starred: the event then goes back to a plain starred session, one of the rare
cases where SEQUENCE drops (subscribed calendars replace the feed wholesale, so they still show
the right thing; only imported copies would keep the old one).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from confnet.feeds.ics import FeedEvent
from confnet.models import Conference, PublishedItem, SeatStatus

# How far a seat has come; added to SEQUENCE in personal feeds.
SEAT_STEPS = {None: 0, SeatStatus.ENTERED: 1, SeatStatus.WAITLISTED: 2, SeatStatus.CONFIRMED: 3}


def event_uid(item: PublishedItem) -> str:
    return f"{item.guid}@confnet"


def conference_ends_at(conference: Conference) -> datetime:
    """Local midnight after the conference's last day, in UTC."""
    return ends_at(conference.ends_on, conference.tz)


def ends_at(last_day: date, tz: tzinfo) -> datetime:
    """Local midnight after ``last_day`` in ``tz``, in UTC."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tz).astimezone(UTC)


def is_over(conference: Conference, now: datetime) -> bool:
    """Cancelled sessions stay in feeds (as cancelled) until the conference is over."""
    return now >= conference_ends_at(conference)


class LinkRow(Protocol):
    """A session's link (slides, paper...) as loaded: an ``ItemLink`` or a row of its columns."""

    label: str
    url: str


@dataclass(frozen=True)
class FeedLinks:
    """Absolute URLs, built by the view (services never call url_for)."""

    site: str  # e.g. "https://confnet.example.org/"; part of every version stamp
    session_url: Callable[[str, int], str]  # (conference slug, item id) -> the session page
    notes_url: Callable[[str, int], str] | None = None  # -> its shared notes (for members)


@dataclass(frozen=True)
class Commitment:
    """What ties a person to a session in their own feed."""

    starred: bool = False
    speaking: bool = False
    seat: SeatStatus | None = None
    position: int | None = None  # place on the waitlist (1 = next)
    since: datetime | None = None  # the seat's latest change

    def merge(self, other: "Commitment") -> "Commitment":
        has_seat = self.seat is not None
        return Commitment(
            starred=self.starred or other.starred,
            speaking=self.speaking or other.speaking,
            seat=self.seat if has_seat else other.seat,
            position=self.position if has_seat else other.position,
            since=self.since if has_seat else other.since,
        )


def location(item: PublishedItem, conference: Conference) -> str:
    """ "Maas Room, De Doelen, Rotterdam": the room, then the venue."""
    parts = [item.room.name if item.room else "", conference.venue]
    if conference.city and conference.city not in conference.venue:
        parts.append(conference.city)
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _status(item: PublishedItem, mine: Commitment | None) -> tuple[str, str]:
    """STATUS and the summary's prefix."""
    if item.cancelled:
        return "CANCELLED", "Cancelled: "
    if mine is None or mine.speaking or mine.seat in (None, SeatStatus.CONFIRMED):
        return "CONFIRMED", ""
    if mine.seat is SeatStatus.WAITLISTED:
        return "TENTATIVE", "Waitlist: "
    return "TENTATIVE", "In the draw: "


def _personal_note(mine: Commitment) -> str:
    if mine.speaking:
        return "You speak in this session."
    if mine.seat is SeatStatus.CONFIRMED:
        return "You have a seat in this workshop."
    if mine.seat is SeatStatus.WAITLISTED:
        return (
            f"You are number {mine.position} on the waitlist. If a seat frees up for you, "
            "it turns into a confirmed seat here and you get an email."
        )
    if mine.seat is SeatStatus.ENTERED:
        return "You are in the draw for a seat; seats are drawn when sign-up closes."
    return ""


def description(
    item: PublishedItem,
    page_urls: list[str],
    links: list[LinkRow],
    mine: Commitment | None,
) -> str:
    """Plain text: what is special about it for this person, the abstract, the speakers,
    where exactly it is, then links (the session page and its notes first)."""
    head = ["This session is cancelled." if item.cancelled else ""]
    head.append(_personal_note(mine) if mine else "")
    facts = []
    if item.speaker_names:
        facts.append(f"Speakers: {item.speaker_names}")
    if item.room and item.room.notes.strip():
        facts.append(f"{item.room.name}: {item.room.notes.strip()}")
    urls = page_urls + [f"{link.label}: {link.url}" for link in links]
    blocks = [" ".join(h for h in head if h), item.abstract.strip(), "\n".join(facts)]
    return "\n\n".join(b for b in blocks + ["\n".join(urls)] if b)


def session_event(
    item: PublishedItem,
    conference: Conference,
    feed_links: FeedLinks,
    item_links: list[LinkRow],
    *,
    mine: Commitment | None = None,
    alarm_minutes: int | None = None,
    busy: bool = False,
) -> FeedEvent:
    """The calendar event for a published item; ``mine`` for a personal feed. Public feeds
    show sessions as free time (nobody attends every parallel session) unless ``busy`` (a
    session someone adds to their own calendar)."""
    status, prefix = _status(item, mine)
    url = feed_links.session_url(conference.slug, item.item_id)
    pages = [f"Session page: {url}"]
    if mine is not None and feed_links.notes_url is not None:  # shared notes are for members
        pages.append(f"Shared notes: {feed_links.notes_url(conference.slug, item.item_id)}")
    changed = [item.updated_at] + ([mine.since] if mine and mine.since else [])
    categories = (item.track.name if item.track else "", item.kind.value.capitalize())
    return FeedEvent(
        uid=event_uid(item),
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        tz=conference.timezone,
        summary=prefix + item.title,
        created=item.created_at,
        last_modified=max(changed),
        sequence=item.sequence + (SEAT_STEPS[mine.seat] if mine else 0),
        status=status,
        location=location(item, conference),
        description=description(item, pages, item_links, mine),
        url=url,
        categories=categories,
        transparent=item.cancelled or not (mine or busy),
        alarm_minutes=alarm_minutes if mine and status == "CONFIRMED" else None,
    )
