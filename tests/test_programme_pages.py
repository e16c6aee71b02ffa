"""Organizer pages through the test client: dashboard, conflicts, releases and demand."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import ItemKind, PublishedItem, Release, Role, Speaker, Star
from confnet.releases.services import publish_schedule

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET


@pytest.fixture
def conference(make):
    return make.conference("cardio", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def organizer(make, conference, login):
    user = make.user(name="Marieke Jansen")
    make.member(user, conference, Role.ORGANIZER)
    login(user)
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


def double_booking(make, conference):
    room = make.room(conference, "Hall")
    first = make.item(conference, title="Heart", room=room, starts_at=FRI_9)
    second = make.item(conference, title="Lungs", room=room, starts_at=FRI_9)
    return first, second


def test_the_dashboard_counts_and_links_everything(make, conference, organizer, client):
    make.item(conference, title="Shown", starts_at=FRI_9 - timedelta(hours=1))
    publish_schedule(conference, by=organizer)
    double_booking(make, conference)
    make.item(conference, title="Dropped", cancelled=True, starts_at=FRI_9 + timedelta(hours=3))
    page = text(client.get("/c/cardio/manage"))
    assert "<strong>3</strong> sessions" in page and "+ 1 cancelled" in page
    assert "<strong>2</strong> unpublished changes" in page
    assert "<strong>2</strong> conflicts" in page
    assert "Release 1" in page
    for path in ["sessions", "sessions/new", "rooms", "tracks", "conflicts", "releases", "demand"]:
        assert f'href="/c/cardio/manage/{path}"' in page


def test_the_conflicts_page_groups_conflicts_per_session(make, conference, organizer, client):
    first, second = double_booking(make, conference)
    ada = Speaker(conference_id=conference.id, name="Ada Byron")
    first.speakers.append(ada)
    third = make.item(conference, title="Kidneys", starts_at=FRI_9, speakers=[ada])
    page = text(client.get("/c/cardio/manage/conflicts"))
    assert "4 conflicts in 3 sessions" in page
    assert "Hall is also booked for “Lungs” (Fri 26 Mar 09:00–09:45)." in page
    assert "Ada Byron also speaks in “Kidneys” (Fri 26 Mar 09:00–09:45)." in page
    for item in (first, second, third):
        assert f'id="item-{item.id}"' in page
        assert f'href="/c/cardio/manage/sessions/{item.id}"' in page


def test_the_conflicts_page_says_all_clear(make, conference, organizer, client):
    make.item(conference, starts_at=FRI_9)
    page = text(client.get("/c/cardio/manage/conflicts"))
    assert "All clear" in page


def test_releases_page_lists_pending_changes_and_history(make, conference, organizer, client):
    hall, lab = make.room(conference, "Hall"), make.room(conference, "Lab")
    moved = make.item(conference, title="Moved", room=hall, starts_at=FRI_9)
    cancelled = make.item(conference, title="Cancelled", room=lab, starts_at=FRI_9)
    publish_schedule(conference, by=organizer, note="First programme")
    moved.room, moved.title = lab, "Moved and renamed"
    moved.starts_at, moved.ends_at = (
        moved.starts_at + timedelta(hours=2),
        moved.ends_at + timedelta(hours=2),
    )
    cancelled.cancelled = True
    make.item(conference, title="Brand new", starts_at=FRI_9 + timedelta(hours=5))
    page = text(client.get("/c/cardio/manage/releases"))
    assert "3 sessions to publish" in page
    assert "Fri 26 Mar 09:00–09:45 → Fri 26 Mar 11:00–11:45" in page
    assert "Hall → Lab" in page and "was “Moved”" in page
    assert ">cancelled<" in page and ">added<" in page
    assert "no conflicts" in page and "Publish anyway" not in page
    assert "Release 1" in page and "by Marieke Jansen" in page and "First programme" in page
    assert "2 added" in page


def test_publishing_with_conflicts_needs_the_checkbox(make, conference, organizer, post):
    double_booking(make, conference)
    page = "/c/cardio/manage/releases"
    response = post(page, {"note": "Friday"})
    assert response.status_code == 200
    assert "The schedule has 2 conflict(s)." in text(response)
    assert "Publish anyway, with 2 conflicts" in text(response)
    assert db.session.scalar(select(Release)) is None

    response = post(page, {"note": "Friday", "confirm_conflicts": "y"}, follow_redirects=True)
    assert "Release 1 published." in text(response)
    release = db.session.scalar(select(Release))
    assert (release.number, release.note, release.conflicts_acknowledged) == (1, "Friday", 2)
    assert release.published_by_id == organizer.id
    assert "published with 2 conflicts" in text(response)


def test_publishing_without_conflicts_and_then_nothing_to_publish(
    make, conference, organizer, post
):
    make.item(conference, title="Only", starts_at=FRI_9)
    response = post("/c/cardio/manage/releases", {}, follow_redirects=True)
    assert "Release 1 published." in text(response)
    assert "Nothing to publish" in text(response)
    assert db.session.scalar(select(PublishedItem.title)) == "Only"
    # e.g. from a second tab, opened before the first one published:
    response = post("/c/cardio/manage/releases", {}, page="/c/cardio/manage/rooms")
    assert response.status_code == 200
    assert "Attendees already see the current schedule: nothing to publish." in text(response)


def test_a_release_note_that_is_too_long_is_refused(make, conference, organizer, post):
    make.item(conference, starts_at=FRI_9)
    response = post("/c/cardio/manage/releases", {"note": "n" * 2001})
    assert "Field cannot be longer than 2000 characters." in text(response)
    assert db.session.scalar(select(Release)) is None


def test_demand_compares_stars_with_capacity(make, conference, organizer, client):
    lab = make.room(conference, "Skills Lab", capacity=2)
    full = make.item(conference, title="Suturing", room=lab, starts_at=FRI_9)
    workshop = make.item(
        conference,
        title="Ultrasound",
        kind=ItemKind.WORKSHOP,
        capacity=1,
        starts_at=FRI_9 + timedelta(hours=2),
    )
    publish_schedule(conference, by=organizer)
    make.item(conference, title="Unpublished", starts_at=FRI_9 + timedelta(hours=4))
    users = [make.user() for _ in range(3)]
    db.session.add_all(Star(user_id=u.id, item_id=full.id) for u in users)
    db.session.add(Star(user_id=users[0].id, item_id=workshop.id))
    db.session.add(Star(user_id=users[1].id, item_id=workshop.id))
    page = text(client.get("/c/cardio/manage/demand"))
    assert "2 sessions may be too full" in page
    assert "3 starred, room holds 2." in page
    assert "2 starred, 1 places." in page
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert page.count("<tr") == 3  # header + two published sessions
    assert "Unpublished" not in page
    assert 'style="' not in page


def test_demand_before_anything_is_published(conference, organizer, client):
    assert "Nothing is published yet" in text(client.get("/c/cardio/manage/demand"))
