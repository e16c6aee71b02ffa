"""The people side of the demo (``confnet.demo``): sub-specialties, languages, intents and
contact details for every demo profile, a few hand-made profiles so that Lotte van Dijk (a demo
login) gets good suggestions, meeting points, and Lotte's introductions: one connection, one
request waiting for her answer and one brokered introduction waiting for her answer.

Deterministic like the rest of the demo: everything comes from ``confnet.demo_data`` and the
random generator it is given. Contact details are invented: ``@confnet.test`` addresses and
numbers from the UK range reserved for drama (+44 20 7946 0xxx).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confnet import demo_data as data
from confnet.extensions import db
from confnet.models import (
    Answer,
    CareerStage,
    Conference,
    Introduction,
    IntroductionStatus,
    MeetingPoint,
    Membership,
    Message,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Seek,
    User,
    Visibility,
)

# Introductions are dated in the fortnight before the conference (the demo is deterministic).
_SENT = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)


def add_networking(conference: Conference, rng: random.Random) -> None:
    """Fill in the networking side of every member's profile, then the hand-made profiles,
    visibilities, meeting points and Lotte's introductions. Flushes."""
    rows = db.session.execute(
        select(Profile, User)
        .join(User, User.id == Profile.user_id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.conference_id == conference.id)
        .order_by(User.id)
    ).all()
    for number, (profile, user) in enumerate(rows):
        _fill_profile(profile, user, number, rng)
    people = {user.name: (profile, user) for profile, user in rows}
    for name, row in data.HAND_MADE.items():
        _hand_made(people[name][0], row)
    for name, visibility in data.VISIBILITY.items():
        membership = db.session.scalar(
            select(Membership).filter_by(conference_id=conference.id, user_id=people[name][1].id)
        )
        membership.visibility = Visibility(visibility)
    db.session.add_all(
        MeetingPoint(conference_id=conference.id, name=name, details=details)
        for name, details in data.MEETING_POINTS
    )
    _add_introductions(conference, {name: user for name, (_, user) in people.items()})
    db.session.flush()


def _fill_profile(profile: Profile, user: User, number: int, rng: random.Random) -> None:
    subs = data.SUB_SPECIALTIES.get(profile.specialty.lower(), ())
    profile.sub_specialty = rng.choice(subs) if subs and rng.random() < 0.8 else ""
    spoken = [*data.LANGUAGES.get(profile.country, ()), "English"]
    if rng.random() < 0.3:
        spoken.append(rng.choice(data.EXTRA_LANGUAGES))
    profile.languages = ", ".join(dict.fromkeys(spoken))
    if user.email in data.SPEAKER_INTENTS:
        offers, seeks = (_split(text) for text in data.SPEAKER_INTENTS[user.email])
    else:
        stage = "industry" if profile.profession is Profession.INDUSTRY else None
        offered, sought = data.INTENTS[stage or profile.career_stage.value]
        offers = rng.sample(offered, min(len(offered), rng.randint(0, 2)))
        seeks = rng.sample(sought, min(len(sought), rng.randint(1, 2)))
    _set_intents(profile, offers, seeks)
    profile.contact_email = user.email
    profile.phone = f"+44 20 7946 0{number:03d}"
    slug = user.email.split("@")[0].replace(".", "-")
    profile.links = f"https://example.org/people/{slug}" if number % 2 == 0 else ""


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _set_intents(profile: Profile, offers: list[str], seeks: list[str]) -> None:
    profile.offers = [ProfileOffer(offer=Offer(value)) for value in sorted(set(offers))]
    profile.seeks = [ProfileSeek(seek=Seek(value)) for value in sorted(set(seeks))]


def _hand_made(profile: Profile, row: tuple[str, ...]) -> None:
    profession, specialty, sub, stage, organization, city, country, *rest = row
    languages, interests, offers, seeks, bio = rest
    profile.profession, profile.career_stage = Profession(profession), CareerStage(stage)
    profile.specialty, profile.sub_specialty = specialty, sub
    profile.organization, profile.city, profile.country = organization, city, country
    profile.languages, profile.interests, profile.bio = languages, interests, bio
    _set_intents(profile, _split(offers), _split(seeks))


def _add_introductions(conference: Conference, users: dict[str, User]) -> None:
    """Lotte's three introductions (see ``demo_data.INTRODUCTIONS``), and a first message in the
    thread of her connection."""
    lotte = users[data.LOTTE]
    for number, (kind, name, introducer, message) in enumerate(data.INTRODUCTIONS):
        other, connected = users[name], kind == "connected"
        sent = _SENT + timedelta(days=2 * number)
        intro = _introduction(conference, lotte, other, connected=connected, sent=sent)
        intro.requested_by_id = users[introducer].id if introducer else other.id
        intro.message = message
        db.session.add(intro)
        if connected:
            db.session.flush()
            body = "Great to be connected! Coffee at the meeting lounge on Friday?"
            when = sent + timedelta(hours=4)
            db.session.add(
                Message(introduction_id=intro.id, sender_id=other.id, body=body, created_at=when)
            )


def _introduction(
    conference: Conference, lotte: User, other: User, *, connected: bool, sent: datetime
) -> Introduction:
    """The ordered pair with its answers: the other person has said yes; Lotte too if
    ``connected``."""
    first, second = sorted((lotte, other), key=lambda user: user.id)
    answers = {lotte.id: Answer.ACCEPTED if connected else Answer.PENDING}
    answers[other.id] = Answer.ACCEPTED
    return Introduction(
        conference_id=conference.id,
        person_a_id=first.id,
        person_b_id=second.id,
        a_answer=answers[first.id],
        b_answer=answers[second.id],
        status=IntroductionStatus.ACCEPTED if connected else IntroductionStatus.PENDING,
        created_at=sent,
        decided_at=sent + timedelta(hours=3) if connected else None,
    )
