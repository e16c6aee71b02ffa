"""Conflict detection and publishing releases, without HTTP."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import ChangeKind, PublishedItem, Role, Speaker
from confnet.programme.conflicts import find_conflicts
from confnet.releases import services

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET


@pytest.fixture
def conference(make):
    return make.conference(tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)


def kinds(conflicts):
    return sorted(c.kind for c in conflicts)


def test_a_clean_schedule_has_no_conflicts(make, conference):
    room_a, room_b = make.room(conference, "A"), make.room(conference, "B")
    make.item(conference, room=room_a, starts_at=FRI_9)
    make.item(conference, room=room_a, starts_at=FRI_9 + timedelta(minutes=45))  # back to back
    make.item(conference, room=room_b, starts_at=FRI_9)
    assert find_conflicts(conference) == []


def test_double_booked_rooms_and_speakers_are_named_on_both_sides(make, conference):
    room = make.room(conference, "Main Hall")
    speaker = Speaker(conference_id=conference.id, name="Dr. Ada Byron")
    first = make.item(conference, title="Heart", room=room, starts_at=FRI_9, speakers=[speaker])
    second = make.item(
        conference,
        title="Lungs",
        room=room,
        speakers=[speaker],
        starts_at=FRI_9 + timedelta(minutes=30),
    )
    conflicts = find_conflicts(conference)
    assert kinds(conflicts) == ["room", "room", "speaker", "speaker"]
    about_first = [c.message for c in conflicts if c.item_id == first.id]
    assert "Main Hall is also booked for “Lungs” (Fri 26 Mar 09:30–10:15)." in about_first
    assert "Dr. Ada Byron also speaks in “Lungs” (Fri 26 Mar 09:30–10:15)." in about_first
    assert {c.other_id for c in conflicts if c.item_id == second.id} == {first.id}


def test_cancelled_items_never_conflict(make, conference):
    room = make.room(conference)
    make.item(conference, room=room, starts_at=FRI_9)
    make.item(conference, room=room, starts_at=FRI_9, cancelled=True)
    assert find_conflicts(conference) == []


def test_times_dates_and_capacity_conflicts(make, conference):
    room = make.room(conference, "Lab", capacity=20)
    make.item(conference, starts_at=FRI_9, minutes=-10)
    make.item(
        conference, starts_at=datetime(2027, 3, 25, 22, 0, tzinfo=UTC)
    )  # 23:00 the day before
    make.item(conference, starts_at=datetime(2027, 3, 28, 21, 30, tzinfo=UTC))  # till 00:15 CEST
    make.item(conference, room=room, capacity=30, starts_at=FRI_9)
    conflicts = find_conflicts(conference)
    assert kinds(conflicts) == ["capacity", "dates", "dates", "times"]
    assert any("30 places are more than Lab holds (20)" in c.message for c in conflicts)


def test_first_release_publishes_everything_but_cancelled_drafts(make, conference):
    organizer = make.user()
    make.member(organizer, conference, Role.ORGANIZER)
    shown = make.item(conference, title="Shown", starts_at=FRI_9)
    make.item(conference, title="Dropped before publishing", cancelled=True)
    release = services.publish_schedule(conference, by=organizer, note="First programme")
    assert release.number == 1
    assert [(c.item_id, c.kind) for c in release.changes] == [(shown.id, ChangeKind.ADDED)]
    published = db.session.scalars(select(PublishedItem)).all()
    assert [p.title for p in published] == ["Shown"]
    assert published[0].sequence == 0 and published[0].first_release == 1


def test_drafts_stay_hidden_until_the_next_release(make, conference):
    item = make.item(conference, title="Original", starts_at=FRI_9)
    services.publish_schedule(conference, by=None)
    item.title = "Renamed in draft"
    db.session.flush()
    assert db.session.get(PublishedItem, item.id).title == "Original"
    with pytest.raises(services.NothingToPublish):
        make.item(conference, title="x", cancelled=True)  # a cancelled new draft changes nothing
        item.title = "Original"
        services.publish_schedule(conference, by=None)


def test_a_release_records_moves_room_changes_renames_and_cancellations(make, conference):
    hall, lab = make.room(conference, "Hall"), make.room(conference, "Lab")
    moved = make.item(conference, title="Moved", room=hall, starts_at=FRI_9)
    cancelled = make.item(conference, title="Cancelled", room=lab, starts_at=FRI_9)
    untouched = make.item(
        conference, title="Untouched", room=lab, starts_at=FRI_9 + timedelta(hours=2)
    )
    services.publish_schedule(conference, by=None)

    moved.starts_at += timedelta(days=1, hours=1)
    moved.ends_at += timedelta(days=1, hours=1)
    moved.room = lab
    moved.title = "Moved and renamed"
    cancelled.cancelled = True
    db.session.flush()
    release = services.publish_schedule(conference, by=None)

    assert release.number == 2
    changes = {(c.item_id, c.kind): c.summary for c in release.changes}
    assert changes == {
        (moved.id, ChangeKind.MOVED): "Fri 26 Mar 09:00–09:45 → Sat 27 Mar 10:00–10:45",
        (moved.id, ChangeKind.ROOM_CHANGED): "Hall → Lab",
        (moved.id, ChangeKind.RENAMED): "was “Moved”",
        (cancelled.id, ChangeKind.CANCELLED): "",
    }
    assert db.session.get(PublishedItem, moved.id).sequence == 1
    assert db.session.get(PublishedItem, cancelled.id).cancelled is True
    assert db.session.get(PublishedItem, untouched.id).changed_in_release == 1


def test_abstract_edits_publish_without_raising_the_sequence(make, conference):
    item = make.item(conference, starts_at=FRI_9)
    services.publish_schedule(conference, by=None)
    item.abstract = "Now with an abstract."
    db.session.flush()
    release = services.publish_schedule(conference, by=None)
    assert [c.kind for c in release.changes] == [ChangeKind.UPDATED]
    published = db.session.get(PublishedItem, item.id)
    assert published.abstract == "Now with an abstract." and published.sequence == 0


def test_publishing_with_conflicts_needs_confirmation(make, conference):
    room = make.room(conference)
    make.item(conference, room=room, starts_at=FRI_9)
    make.item(conference, room=room, starts_at=FRI_9)
    with pytest.raises(services.UnconfirmedConflicts, match="2 conflict"):
        services.publish_schedule(conference, by=None)
    assert db.session.scalar(select(PublishedItem)) is None
    release = services.publish_schedule(conference, by=None, confirm_conflicts=True)
    assert release.conflicts_acknowledged == 2


def test_release_numbers_are_per_conference(make, conference):
    other = make.conference()
    make.item(conference, starts_at=FRI_9)
    make.item(other, starts_at=FRI_9)
    assert services.publish_schedule(conference, by=None).number == 1
    assert services.publish_schedule(other, by=None).number == 1
    assert services.latest_release(conference).number == 1
