"""A realistic demo conference for ``flask --app app seed-demo``.

``seed_demo`` fills an empty database with MedConnect Europe 2027: a three-day medical
conference in Rotterdam (26-28 March 2027, Europe/Amsterdam, across the switch to summer time on
Sunday 28 March) with rooms, tracks, speakers, about 70 programme items, about 50 attendees with
profiles, a site admin and an organizer. The content lives in ``confnet.demo_data``; intents,
contact details, meeting points and the introductions of Lotte van Dijk (the second attendee
login) are added by ``confnet.people.demo``.

The result is deterministic: the same people, titles and times on every run (only generated
secrets such as password salts and login nonces differ). Schedule times are written as local
wall-clock times and converted to aware UTC with ``zoneinfo``.
"""

import random
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from confnet import demo_data as data
from confnet.auth.services import create_user, hash_password
from confnet.conferences.services import create_conference, join_conference
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    CareerStage,
    Conference,
    ItemKind,
    Membership,
    Profession,
    Profile,
    Release,
    Role,
    Room,
    ScheduleItem,
    Speaker,
    Star,
    Track,
    User,
)
from confnet.people.demo import add_networking

SLUG = "medconnect-2027"
TIMEZONE = "Europe/Amsterdam"
FIRST_DAY = date(2027, 3, 26)
LAST_DAY = date(2027, 3, 28)
EMAIL_DOMAIN = "confnet.test"
SEED = 2027

ADMIN = ("admin@confnet.test", "Robin Admin", "demo-admin-2027")
ORGANIZER = ("organizer@confnet.test", "Marieke Jansen", "demo-organizer-2027")
SPEAKER_LOGIN = "speaker@confnet.test"  # Ingrid Vermeulen, in demo_data.SPEAKERS
# Documented demo passwords, printed by ``seed-demo``; never used outside the demo.
SPEAKER_PASSWORD = "demo-speaker-2027"  # noqa: S105
ATTENDEE_PASSWORD = "demo-attendee-2027"  # noqa: S105
_GUID_NAMESPACE = uuid.UUID("6f1c2a52-3d0e-4b7e-9a51-2c7d0e0b2027")
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "ł": "l", "'": ""})


@dataclass
class DemoLogin:
    role: str  # "site admin", "organizer", "speaker", "attendee"
    email: str
    password: str


@dataclass
class DemoResult:
    conference: Conference
    logins: list[DemoLogin]  # a short list to print: admin, organizer, speaker, two attendees


class DemoRefused(DomainError):
    """The database is not empty, so the demo would mix with real data."""


def seed_demo() -> DemoResult:
    """Build the demo. Raises DemoRefused (message readable by a person) when the database already
    holds any user or conference. Flushes; the caller commits."""
    _refuse_unless_empty()
    rng = random.Random(SEED)
    create_user(ADMIN[0], ADMIN[1], ADMIN[2], site_admin=True)
    organizer = create_user(*ORGANIZER)
    _add_profile(organizer, data.ORGANIZER_PROFILE)
    conference = create_conference(
        slug=SLUG,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        timezone=TIMEZONE,
        organizer=organizer,
        **data.CONFERENCE,
    )
    rooms = _add_rooms(conference)
    tracks = _add_tracks(conference)
    speakers = _add_speakers(conference)
    _add_programme(conference, rooms, tracks, speakers)
    attendees = _add_attendees(conference, rng)
    db.session.flush()
    add_networking(conference, random.Random(SEED + 3))
    return DemoResult(
        conference=conference,
        logins=[
            DemoLogin("site admin", ADMIN[0], ADMIN[2]),
            DemoLogin("organizer", ORGANIZER[0], ORGANIZER[2]),
            DemoLogin("speaker", SPEAKER_LOGIN, SPEAKER_PASSWORD),
            *(DemoLogin("attendee", user.email, ATTENDEE_PASSWORD) for user in attendees[:2]),
        ],
    )


def publish_demo(result: DemoResult) -> Release:
    """Publish the demo programme as release 1 and give attendees the stars they would pick.

    Kept apart from ``seed_demo`` so that tests can start from an unpublished draft.
    Flushes; the caller commits.
    """
    from confnet.releases.services import publish_schedule

    conference = result.conference
    organizer = db.session.scalar(select(User).filter_by(email=ORGANIZER[0]))
    release = publish_schedule(conference, by=organizer, note="The first full programme.")
    _add_stars(conference, random.Random(SEED + 1))
    _add_seats(conference, random.Random(SEED + 2))
    db.session.flush()
    return release


def _add_seats(conference: Conference, rng: random.Random) -> None:
    """Workshop sign-ups through the real service: the first workshop full with a waitlist,
    the others partly filled, so every state of the sign-up box can be seen."""
    from confnet.workshops.services import SignupRefused, sign_up

    now = datetime.combine(FIRST_DAY - timedelta(days=14), datetime.min.time(), UTC)
    attendees = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .filter(Membership.conference_id == conference.id, Membership.role == Role.ATTENDEE)
        .order_by(User.id)
    ).all()
    workshops = db.session.scalars(
        select(ScheduleItem)
        .filter_by(conference_id=conference.id, signup_required=True)
        .order_by(ScheduleItem.starts_at, ScheduleItem.id)
    ).all()
    for number, item in enumerate(workshops):
        wanted = (
            item.capacity + 3 if number == 0 else rng.randint(item.capacity // 3, item.capacity - 2)
        )
        for user in rng.sample(attendees, len(attendees)):
            if wanted == 0:
                break
            try:
                sign_up(user, item, now=now, tz=conference.tz)
                wanted -= 1
            except SignupRefused:  # a clash with a seat they already hold
                continue


def _add_stars(conference: Conference, rng: random.Random) -> None:
    """Each attendee stars 6-14 sessions, workshops a little more often than the rest."""
    items = db.session.scalars(
        select(ScheduleItem)
        .filter_by(conference_id=conference.id)
        .where(ScheduleItem.kind.not_in([ItemKind.BREAK]))
        .order_by(ScheduleItem.id)
    ).all()
    workshops = [item for item in items if item.kind is ItemKind.WORKSHOP]
    attendees = db.session.scalars(
        select(Membership.user_id)
        .filter_by(conference_id=conference.id, role=Role.ATTENDEE)
        .order_by(Membership.user_id)
    ).all()
    for user_id in attendees:
        picks = set(rng.sample(items, rng.randint(6, 14)))
        picks.update(rng.sample(workshops, rng.choice((0, 1, 1, 2))))
        db.session.add_all(Star(user_id=user_id, item_id=item.id) for item in picks)


def local_to_utc(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """The aware UTC moment of wall-clock time ``hhmm`` on ``day`` in ``tz``.

    Raises ValueError for a time that does not exist locally (skipped by a DST change).
    """
    hour, minute = (int(part) for part in hhmm.split(":"))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(f"{day} {hhmm} does not exist in {tz.key}")
    return moment


def email_for(name: str) -> str:
    """``"Freja Sørensen"`` -> ``"freja.sorensen@confnet.test"``."""
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore")
    return f"{'.'.join(plain.decode().lower().split())}@{EMAIL_DOMAIN}"


def _refuse_unless_empty() -> None:
    users = db.session.scalar(select(func.count()).select_from(User)) or 0
    conferences = db.session.scalar(select(func.count()).select_from(Conference)) or 0
    if users or conferences:
        raise DemoRefused(
            f"This database already holds {users} account(s) and {conferences} conference(s). "
            "The demo only fills an empty database, so that it never mixes with real data: "
            "point DATABASE_URL at a new database (or run it on a fresh install) and try again."
        )


def _add_rooms(conference: Conference) -> dict[str, Room]:
    rooms = {
        key: Room(
            conference_id=conference.id,
            name=name,
            capacity=capacity,
            notes=notes,
            position=position,
        )
        for position, (key, name, capacity, notes) in enumerate(data.ROOMS)
    }
    db.session.add_all(rooms.values())
    return rooms


def _add_tracks(conference: Conference) -> dict[str, Track]:
    tracks = {
        key: Track(conference_id=conference.id, name=name, colour=colour)
        for key, name, colour in data.TRACKS
    }
    db.session.add_all(tracks.values())
    return tracks


def _add_speakers(conference: Conference) -> dict[str, Speaker]:
    """Speakers from the data; those with an email get an account, a profile and the speaker
    role. ``SPEAKER_LOGIN`` is made by ``create_user``; the others share one password hash."""
    shared_hash = hash_password(SPEAKER_PASSWORD)
    speakers: dict[str, Speaker] = {}
    for key, name, email, *details in data.SPEAKERS:
        speaker = Speaker(conference_id=conference.id, name=name, bio=details[-1])
        if email:
            if email == SPEAKER_LOGIN:
                user = create_user(email, name, SPEAKER_PASSWORD)
            else:
                user = User(email=email, name=name, password_hash=shared_hash)
                db.session.add(user)
                db.session.flush()
            _add_profile(user, tuple(details))
            join_conference(user, conference).role = Role.SPEAKER
            speaker.user_id = user.id
        speakers[key] = speaker
    db.session.add_all(speakers.values())
    return speakers


def _add_programme(
    conference: Conference,
    rooms: dict[str, Room],
    tracks: dict[str, Track],
    speakers: dict[str, Speaker],
) -> None:
    """One ScheduleItem per ``data.PROGRAMME`` row, local times converted to UTC."""
    tz = ZoneInfo(TIMEZONE)
    for number, (when, room, kind, track, names, title, abstract) in enumerate(data.PROGRAMME):
        day_text, _, span = when.partition(" ")
        start, _, end = span.partition("-")
        day = FIRST_DAY + timedelta(days=int(day_text))
        kind_name, _, seats = kind.partition("/")
        db.session.add(
            ScheduleItem(
                conference_id=conference.id,
                guid=uuid.uuid5(_GUID_NAMESPACE, f"{SLUG}/{number}"),
                title=title,
                abstract=abstract,
                kind=ItemKind(kind_name),
                track=tracks[track] if track else None,
                room=rooms[room] if room else None,
                starts_at=local_to_utc(day, start, tz),
                ends_at=local_to_utc(day, end, tz),
                capacity=int(seats) if seats else None,
                signup_required=bool(seats),
                speakers=[speakers[name] for name in names.split()],
            )
        )


def _add_attendees(conference: Conference, rng: random.Random) -> list[User]:
    """About 50 attendees with varied profiles, all sharing one password hash (hashing is slow
    on purpose, so it is done once)."""
    shared_hash = hash_password(ATTENDEE_PASSWORD)
    weights = [persona[1] for persona in data.PERSONAS]
    users = []
    for entry in data.ATTENDEES:
        name, _, code = entry.partition("/")
        country, *places = data.PLACES[code]
        profession, _, stages, specialties = rng.choices(data.PERSONAS, weights)[0]
        stage = rng.choice(stages)
        specialty, related = rng.choice(specialties)
        city, organization = rng.choice(places)
        if profession == "industry":
            organization = rng.choice(data.INDUSTRY_EMPLOYERS)
        picked = rng.sample(related.split(", "), 2) + rng.sample(data.GENERAL_INTERESTS, 2)
        tags = list(dict.fromkeys(picked))
        user = User(email=email_for(name), name=name, password_hash=shared_hash)
        db.session.add(user)
        bio = _bio(profession, stage, specialty, organization, tags, rng)
        row = (profession, specialty.capitalize(), stage, organization, city, country)
        _add_profile(user, (*row, ", ".join(tags), bio))
        users.append(user)
    db.session.flush()
    for user in users:
        join_conference(user, conference)
    return users


def _add_profile(user: User, row: tuple[str, ...]) -> None:
    """Give ``user`` a profile from ``(profession, specialty, career stage, organization, city,
    country, interests, bio)``; profession and career stage are the enums' values."""
    profession, specialty, stage, organization, city, country, interests, bio = row
    profile = Profile(user=user, profession=Profession(profession), specialty=specialty)
    profile.career_stage, profile.organization = CareerStage(stage), organization
    profile.city, profile.country, profile.interests, profile.bio = city, country, interests, bio
    db.session.add(profile)


def _bio(
    profession: str,
    stage: str,
    specialty: str,
    organization: str,
    tags: list[str],
    rng: random.Random,
) -> str:
    """Two short sentences: who they are, and what they would like to talk about."""
    if profession == "student":
        first = f"{specialty.capitalize()} student at {organization}."
    else:
        noun = {"allied health": "clinician", "industry": "product manager"}.get(
            profession, profession
        )
        role = f"{data.STAGE_WORDS[stage]} {noun}".strip()
        first = f"{role[0].upper()}{role[1:]} in {specialty} at {organization}."
    return f"{first} {rng.choice(data.BIO_ENDINGS).format(*tags)}"
