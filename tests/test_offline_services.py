"""What a phone keeps of a conference, its version, the viewer key, and the changes made offline
applied when they come back (stars, private notes, conflicts)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import (
    Block,
    IntroductionStatus,
    ItemKind,
    PrivateNote,
    ScheduleItem,
    Seat,
    SeatStatus,
    Speaker,
    Star,
)
from confnet.notes.private import save_private_note
from confnet.offline import services
from confnet.offline.changes import Change, apply_changes
from confnet.offline.payload import PayloadError, parse_changes
from confnet.schedule.services import find_published, star_session

T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
SITE = "http://confnet.test/"


@pytest.fixture
def conf(make):
    conference = make.conference("off", name="Offline Conf")
    talks = [
        make.item(conference, title=f"Talk {n}", starts_at=T0 + timedelta(hours=n))
        for n in range(3)
    ]
    coffee = make.item(conference, title="Coffee", kind=ItemKind.BREAK, starts_at=T0)
    make.publish(conference)
    return conference, [find_published(conference, t.id) for t in talks], coffee


def member(make, conference):
    user = make.user()
    make.member(user, conference)
    return user


def test_the_viewer_key_names_a_login_not_a_person_forever(make):
    ada, bob = make.user(), make.user()
    key = services.viewer_key(ada, "secret")
    assert services.viewer_key(None, "secret") == services.ANONYMOUS
    assert key == services.viewer_key(ada, "secret") != services.viewer_key(bob, "secret")
    assert len(key) == 20 and key != services.ANONYMOUS
    ada.login_nonce = "logged-out-everywhere"  # a new nonce retires what phones kept
    assert services.viewer_key(ada, "secret") != key


def test_the_version_moves_with_each_release(make, conf):
    conference, talks, _ = conf
    first = services.conference_version(conference, SITE, utcnow())
    assert first.startswith("r1-")
    assert services.conference_version(conference, SITE, utcnow()) == first
    db.session.get(ScheduleItem, talks[0].item_id).title = "Talk zero, renamed"
    make.publish(conference)
    second = services.conference_version(conference, SITE, utcnow())
    assert second.startswith("r2-") and second != first


def test_anybody_keeps_the_programme_members_also_their_notes_and_contacts(make, conf):
    conference, talks, coffee = conf
    everyone = services.offline_contents(conference, None, all_sessions_max=10)
    assert everyone.sessions == [talks[0].item_id, coffee.id, talks[1].item_id, talks[2].item_id]
    assert everyone.days == [conference.starts_on + timedelta(days=n) for n in range(3)]
    assert not everyone.member and everyone.noted == [] and everyone.connections == []

    ada, friend, asked, blocker = (member(make, conference) for _ in range(4))
    star_session(ada, talks[2])
    db.session.add(Star(user_id=ada.id, item_id=coffee.id))  # a break keeps no notes
    save_private_note(ada, conference, talks[0], "Remember this", version=0, now=utcnow())
    connection = make.introduction(conference, ada, friend)
    make.introduction(conference, ada, asked, status=IntroductionStatus.PENDING)
    make.introduction(conference, ada, blocker)
    db.session.add(Block(blocker_id=blocker.id, blocked_id=ada.id))
    db.session.flush()

    mine = services.offline_contents(conference, ada, all_sessions_max=10)
    assert mine.member
    assert mine.noted == [talks[0].item_id, talks[2].item_id]
    assert mine.connections == [connection.id]
    outsider = make.user()
    assert not services.offline_contents(conference, outsider, all_sessions_max=10).member


def test_a_big_programme_keeps_the_viewers_own_sessions_only(make, conf):
    conference, talks, coffee = conf
    ada, speaker = member(make, conference), member(make, conference)
    star_session(ada, talks[2])
    db.session.add(Seat(item_id=talks[1].item_id, user_id=ada.id, status=SeatStatus.CONFIRMED))
    db.session.add(Speaker(conference_id=conference.id, name="Sp", user_id=speaker.id))
    db.session.flush()
    spoken = db.session.get(ScheduleItem, talks[0].item_id)
    spoken.speakers.append(db.session.scalar(select(Speaker).filter_by(user_id=speaker.id)))
    db.session.flush()
    whole = services.offline_contents(conference, ada, all_sessions_max=4)
    assert whole.complete and len(whole.sessions) == 4
    mine = services.offline_contents(conference, ada, all_sessions_max=3)
    assert not mine.complete
    assert mine.sessions == [talks[1].item_id, talks[2].item_id] and mine.noted == [
        talks[2].item_id
    ]
    theirs = services.offline_contents(conference, speaker, all_sessions_max=3)
    assert theirs.sessions == [talks[0].item_id]
    assert services.offline_contents(conference, None, all_sessions_max=3).sessions == []


def test_the_check_names_the_copy_by_conference_viewer_and_version(make, conf):
    conference, _, _ = conf
    ada = member(make, conference)
    plan = services.offline_plan(
        conference, ada, site=SITE, secret="s", now=utcnow(), all_sessions_max=10
    )
    check = plan.check
    assert check.cache_name == f"confnet-pages|off|{check.viewer}|{check.version}"
    assert check.viewer == services.viewer_key(ada, "s")
    again = services.offline_check(conference, ada, site=SITE, secret="s", now=utcnow())
    assert again == check
    assert services.offline_check(conference, None, site=SITE, secret="s", now=utcnow()) != check


def test_changes_made_offline_are_applied_each_on_its_own(make, conf):
    conference, talks, _ = conf
    ada = member(make, conference)
    star_session(ada, talks[1])
    cancelled = db.session.get(ScheduleItem, talks[2].item_id)
    cancelled.cancelled = True
    make.publish(conference)
    changes = [
        Change("s0", "star", talks[0].item_id, starred=True),
        Change("s1", "star", talks[1].item_id, starred=False),
        Change("s2", "star", talks[2].item_id, starred=True),
        Change("gone", "star", 999_999, starred=True),
        Change("n0", "note", talks[0].item_id, body="Offline thoughts\r\n", version=0),
        Change("free", "note", None, body="The whole conference", version=0),
    ]
    outcomes = apply_changes(ada, conference, changes, utcnow())
    by_key = {o.key: o for o in outcomes}
    assert [o.key for o in outcomes] == ["s0", "s1", "s2", "gone", "n0", "free"]
    assert by_key["s0"].status == by_key["s1"].status == "done"
    assert by_key["s2"].status == "refused" and "cancelled" in by_key["s2"].message
    assert by_key["gone"].status == "refused"
    assert by_key["n0"].status == by_key["free"].status == "done"
    stars = set(db.session.scalars(select(Star.item_id).filter_by(user_id=ada.id)))
    assert stars == {talks[0].item_id}
    notes = {n.item_id: n.body for n in db.session.scalars(select(PrivateNote))}
    assert notes == {talks[0].item_id: "Offline thoughts\n", None: "The whole conference"}


def test_a_note_changed_elsewhere_meanwhile_is_a_conflict_and_nothing_is_saved(make, conf):
    conference, talks, _ = conf
    ada = member(make, conference)
    save_private_note(ada, conference, talks[0], "First", version=0, now=utcnow())
    save_private_note(ada, conference, talks[0], "From my laptop", version=1, now=utcnow())
    offline = Change("n", "note", talks[0].item_id, body="From my phone, offline", version=1)
    again = Change("same", "note", talks[0].item_id, body="From my laptop", version=2)
    outcomes = apply_changes(ada, conference, [offline, again], utcnow())
    assert [(o.key, o.status) for o in outcomes] == [("n", "conflict"), ("same", "unchanged")]
    note = db.session.scalar(select(PrivateNote).filter_by(user_id=ada.id))
    assert (note.body, note.version) == ("From my laptop", 2)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"changes": []},
        {"changes": "star"},
        {"changes": [{"key": "k", "kind": "star", "item": 1}]},
        {"changes": [{"key": "k", "kind": "star", "item": True, "starred": True}]},
        {"changes": [{"key": "k", "kind": "star", "item": 2**31, "starred": True}]},
        {"changes": [{"key": "k", "kind": "star", "item": None, "starred": True}]},
        {"changes": [{"key": "k", "kind": "note", "item": 1, "body": "x", "version": -1}]},
        {"changes": [{"key": "k", "kind": "note", "item": 1, "body": "a\x00b", "version": 0}]},
        {"changes": [{"key": "", "kind": "note", "item": 1, "body": "x", "version": 0}]},
        {"changes": [{"key": "k", "kind": "seat", "item": 1}]},
        {"changes": [{"key": "k", "kind": "star", "item": 1, "starred": True}] * 201},
    ],
)
def test_anything_but_a_list_of_changes_is_refused_whole(data):
    with pytest.raises(PayloadError):
        parse_changes(data)


def test_a_list_of_changes_is_read_in_order():
    changes = parse_changes(
        {
            "changes": [
                {"key": "a", "kind": "star", "item": 4, "starred": False},
                {"key": "b", "kind": "note", "item": None, "body": "Hi", "version": 3},
            ]
        }
    )
    assert changes == [
        Change("a", "star", 4, starred=False),
        Change("b", "note", None, body="Hi", version=3),
    ]
