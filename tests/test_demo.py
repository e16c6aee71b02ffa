"""The demo data builder (``flask --app app seed-demo``): it refuses a database that is in use,
and what it builds is a consistent, deterministic three-day programme."""

import itertools
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from confnet.auth.services import LoginLimits, authenticate, create_user
from confnet.demo import DemoRefused, seed_demo
from confnet.extensions import db
from confnet.models import (
    Conference,
    ItemKind,
    Membership,
    Profile,
    Role,
    Room,
    ScheduleItem,
    Speaker,
    Track,
    User,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ALL_MODELS = (User, Profile, Conference, Membership, Room, Track, Speaker, ScheduleItem)


@pytest.fixture
def demo(app):
    result = seed_demo()
    db.session.expire_all()  # from here on, everything is read back from the database
    return result


def items() -> list[ScheduleItem]:
    return list(db.session.scalars(select(ScheduleItem).order_by(ScheduleItem.id)))


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in ALL_MODELS
    }


def overlapping_pairs(entries: list[ScheduleItem]):
    for a, b in itertools.combinations(entries, 2):
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
            yield a, b


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


def test_seeding_twice_refuses_and_changes_nothing(demo):
    before = counts()
    with pytest.raises(DemoRefused) as refused:
        seed_demo()
    assert "empty database" in refused.value.message
    assert counts() == before


def test_a_single_existing_account_is_enough_to_refuse(app):
    create_user("someone@example.org", "Someone", "a long enough password")
    with pytest.raises(DemoRefused):
        seed_demo()
    assert counts()["Conference"] == 0
    assert counts()["User"] == 1


def test_the_conference(demo):
    conference = db.session.scalar(select(Conference))
    assert demo.conference.id == conference.id
    assert conference.slug == "medconnect-2027"
    assert conference.name == "MedConnect Europe 2027"
    assert (conference.starts_on, conference.ends_on) == (date(2027, 3, 26), date(2027, 3, 28))
    assert conference.timezone == "Europe/Amsterdam"
    assert "Rotterdam" in conference.venue


def test_no_room_is_double_booked(demo):
    by_room = defaultdict(list)
    for item in items():
        if item.room_id is not None:
            by_room[item.room_id].append(item)
    assert len(by_room) == 6
    clashes = [
        (a.title, b.title) for entries in by_room.values() for a, b in overlapping_pairs(entries)
    ]
    assert clashes == []


def test_no_speaker_is_in_two_items_at_once(demo):
    by_speaker = defaultdict(list)
    for item in items():
        for speaker in item.speakers:
            by_speaker[speaker.id].append(item)
    assert len(by_speaker) == db.session.scalar(select(func.count()).select_from(Speaker))
    clashes = [
        (a.title, b.title) for entries in by_speaker.values() for a, b in overlapping_pairs(entries)
    ]
    assert clashes == []


def test_every_item_is_inside_the_conference_days_in_local_time(demo):
    first, last = date(2027, 3, 26), date(2027, 3, 28)
    for item in items():
        assert item.starts_at.tzinfo is not None and item.ends_at.tzinfo is not None
        start, end = local(item.starts_at), local(item.ends_at)
        assert start < end, item.title
        assert first <= start.date() <= last and end.date() == start.date(), item.title
        assert start.time() >= time(8, 30), item.title
        if item.kind is not ItemKind.SOCIAL:
            assert end.time() <= time(18, 0), item.title
    days = Counter(local(item.starts_at).date() for item in items())
    assert sorted(days) == [date(2027, 3, 26), date(2027, 3, 27), date(2027, 3, 28)]


def test_times_are_local_wall_clock_times_across_the_dst_change(demo):
    """Clocks go forward on Sunday 28 March 2027 at 02:00: CET (UTC+1) becomes CEST (UTC+2)."""
    starts = {local(item.starts_at).replace(tzinfo=None): item.starts_at for item in items()}
    assert starts[datetime(2027, 3, 27, 10, 0)] == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert starts[datetime(2027, 3, 28, 10, 0)] == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    # The same programme grid starts at 08:30 local every day, whatever the UTC offset.
    openers = sorted(
        local(s).strftime("%d %H:%M") for s in starts.values() if local(s).time() == time(8, 30)
    )
    assert openers == ["26 08:30", "27 08:30", "28 08:30"]


def test_programme_shape(demo):
    programme = items()
    assert 60 <= len(programme) <= 75
    kinds = Counter(item.kind for item in programme)
    assert set(kinds) == set(ItemKind)
    main_hall = max(db.session.scalars(select(Room)), key=lambda room: room.capacity)
    assert main_hall.capacity >= 500
    for item in programme:
        assert item.title and item.abstract, item.title
        if item.kind is ItemKind.KEYNOTE:
            assert item.room_id == main_hall.id and len(item.speakers) == 1
        if item.kind is ItemKind.BREAK:
            assert item.track_id is None and not item.speakers
        if item.kind in (ItemKind.TALK, ItemKind.PANEL, ItemKind.WORKSHOP):
            assert item.track_id is not None and item.speakers, item.title
    assert len({item.guid for item in programme}) == len(programme)


def test_workshops_need_signup_and_fit_their_room(demo):
    workshops = [item for item in items() if item.kind is ItemKind.WORKSHOP]
    assert 6 <= len(workshops) <= 8
    for workshop in workshops:
        assert workshop.signup_required
        assert 20 <= workshop.capacity <= 30
        assert workshop.capacity <= workshop.room.capacity
    others = [item for item in items() if item.kind is not ItemKind.WORKSHOP]
    assert not any(item.signup_required or item.capacity for item in others)


def _contrast_with_white(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_rooms_and_tracks(demo):
    rooms = list(db.session.scalars(select(Room).order_by(Room.position)))
    assert len(rooms) == 6 and all(room.notes for room in rooms)
    assert [room.capacity for room in rooms][0] >= 500
    assert min(room.capacity for room in rooms) >= 20
    tracks = list(db.session.scalars(select(Track)))
    assert len(tracks) == 5
    assert len({track.colour for track in tracks}) == 5
    for track in tracks:
        assert _contrast_with_white(track.colour) >= 4.5, track.name


def test_the_demo_logins_authenticate(demo):
    roles = [login.role for login in demo.logins]
    assert roles == ["site admin", "organizer", "speaker", "attendee", "attendee"]
    users = {}
    for login in demo.logins:
        assert len(login.password) >= 10
        user = authenticate(login.email, login.password, "127.0.0.1", LoginLimits())
        assert user.email == login.email
        users[login.role] = user
    conference = demo.conference
    role_of = {m.user_id: m.role for m in db.session.scalars(select(Membership))}
    assert users["site admin"].is_site_admin
    assert not any(u.is_site_admin for role, u in users.items() if role != "site admin")
    assert role_of[users["organizer"].id] is Role.ORGANIZER
    assert role_of[users["speaker"].id] is Role.SPEAKER
    assert role_of[users["attendee"].id] is Role.ATTENDEE
    speaker = db.session.scalar(select(Speaker).filter_by(user_id=users["speaker"].id))
    assert speaker is not None and speaker.conference_id == conference.id


def test_speakers_with_and_without_accounts(demo):
    speakers = list(db.session.scalars(select(Speaker)))
    assert 12 <= len(speakers) <= 18
    with_account = [s for s in speakers if s.user_id is not None]
    assert 0 < len(with_account) < len(speakers)
    role_of = {m.user_id: m.role for m in db.session.scalars(select(Membership))}
    for speaker in with_account:
        assert role_of[speaker.user_id] is Role.SPEAKER
        assert db.session.get(Profile, speaker.user_id) is not None
    assert all(speaker.bio for speaker in speakers)


def test_about_fifty_attendees_with_varied_profiles(demo):
    attendees = list(
        db.session.scalars(select(User).join(Membership).filter(Membership.role == Role.ATTENDEE))
    )
    assert 45 <= len(attendees) <= 60
    profiles = [user.profile for user in attendees]
    assert all(profiles)
    assert len({p.profession for p in profiles}) >= 4
    assert len({p.career_stage for p in profiles}) >= 4
    assert len({p.country for p in profiles}) >= 10
    for p in profiles:
        assert p.specialty and p.organization and p.city and p.bio
        assert len(p.interest_list) >= 2
    assert len({user.email for user in attendees}) == len(attendees)


def snapshot() -> dict:
    """What a person would see of the demo, without database ids or generated secrets."""
    return {
        "conference": [
            (c.slug, c.name, c.starts_on, c.ends_on, c.timezone, c.venue)
            for c in db.session.scalars(select(Conference))
        ],
        "items": [
            (
                i.guid,
                i.title,
                i.kind,
                i.starts_at,
                i.ends_at,
                i.room and i.room.name,
                i.track and i.track.name,
                [s.name for s in i.speakers],
                i.capacity,
            )
            for i in items()
        ],
        "users": sorted(
            (u.email, u.name, u.is_site_admin) for u in db.session.scalars(select(User))
        ),
        "profiles": sorted(
            (
                p.user.email,
                p.profession,
                p.specialty,
                p.career_stage,
                p.organization,
                p.city,
                p.country,
                p.interests,
                p.bio,
                p.sub_specialty,
                p.languages,
                p.contact_email,
                p.phone,
                p.links,
                sorted(p.offer_set),
                sorted(p.seek_set),
            )
            for p in db.session.scalars(select(Profile))
        ),
        "roles": sorted((m.user.email, m.role) for m in db.session.scalars(select(Membership))),
    }


def test_the_demo_is_deterministic(app):
    seed_demo()
    first = snapshot()
    db.session.rollback()  # nothing was committed: the database is empty again
    assert counts() == dict.fromkeys(counts(), 0)
    seed_demo()
    assert snapshot() == first
    assert len(first["items"]) >= 60 and len(first["users"]) >= 50


def test_published_demo_shows_every_session_with_stars_from_attendees():
    from confnet.demo import publish_demo
    from confnet.models import PublishedItem, Star

    result = seed_demo()
    release = publish_demo(result)
    assert release.number == 1
    published = db.session.scalar(select(func.count()).select_from(PublishedItem))
    drafts = db.session.scalar(select(func.count()).select_from(ScheduleItem))
    assert published == drafts == 70
    stars = db.session.scalar(select(func.count()).select_from(Star))
    assert 50 * 6 <= stars <= 50 * 16
    from confnet.workshops.services import live_counts

    workshops = db.session.scalars(
        select(ScheduleItem).filter_by(signup_required=True).order_by(ScheduleItem.starts_at)
    ).all()
    counts = live_counts([w.id for w in workshops])
    first = workshops[0]
    assert counts[first.id] == (first.capacity, 3)  # full, three waiting
    assert all(0 < counts[w.id][0] < w.capacity for w in workshops[1:])


def test_every_member_has_intents_languages_and_private_contact_details(demo):
    from confnet.models import MeetingPoint

    members = list(db.session.scalars(select(User).join(Membership)))
    profiles = [user.profile for user in members]
    assert all(p.language_list and "English" in p.language_list for p in profiles)
    assert all(p.offers or p.seeks for p in profiles)
    assert all(p.contact_email.endswith("@confnet.test") for p in profiles)
    assert all(p.phone.startswith("+44 20 7946 0") for p in profiles)  # reserved for fiction
    assert all(link.startswith("https://example.org/") for p in profiles for link in p.link_list)
    assert sum(bool(p.sub_specialty) for p in profiles) >= len(profiles) // 2
    points = db.session.scalars(select(MeetingPoint).order_by(MeetingPoint.id)).all()
    assert [p.name for p in points][0] == "Meeting lounge, level 2" and len(points) == 3
    assert all(p.conference_id == demo.conference.id for p in points)


def test_lotte_has_a_connection_a_request_and_a_brokered_introduction(demo):
    from confnet.models import Answer, Introduction, IntroductionStatus, Message

    lotte = db.session.scalar(select(User).filter_by(email="lotte.van.dijk@confnet.test"))
    assert lotte.email in [login.email for login in demo.logins]
    intros = db.session.scalars(select(Introduction).order_by(Introduction.id)).all()
    assert len(intros) == 3 and all(i.involves(lotte.id) for i in intros)
    assert all(i.person_a_id < i.person_b_id for i in intros)
    connected, asked, brokered = intros
    assert connected.status is IntroductionStatus.ACCEPTED and connected.decided_at
    assert connected.a_answer is connected.b_answer is Answer.ACCEPTED
    assert db.session.scalar(select(Message.body).filter_by(introduction_id=connected.id))
    for pending in (asked, brokered):
        other = pending.other_id(lotte.id)
        assert pending.status is IntroductionStatus.PENDING and pending.decided_at is None
        assert pending.answer_of(lotte.id) is Answer.PENDING
        assert pending.answer_of(other) is Answer.ACCEPTED
    assert asked.requested_by_id == asked.other_id(lotte.id) and not asked.is_brokered
    assert brokered.is_brokered
    assert db.session.get(User, brokered.requested_by_id).name == "Ingrid Vermeulen"


def test_lotte_gets_good_suggestions(demo):
    from confnet.demo import publish_demo
    from confnet.people.suggestions import suggest_people

    publish_demo(demo)
    lotte = db.session.scalar(select(User).filter_by(email="lotte.van.dijk@confnet.test"))
    matches = suggest_people(lotte, demo.conference).matches
    assert len(matches) >= 20
    first = matches[0]
    assert first.person.name == "Lena Schneider"
    assert (
        first.reasons[0] == "You seek a mentor in cardiology; Lena offers mentoring in cardiology"
    )
    names = {m.person.name for m in matches}
    assert not names & {"Daan de Jong", "Sem Mulder", "Emily Clarke", "Yuki Tanaka"}
    assert any("starred" in reason for m in matches for reason in m.reasons)
