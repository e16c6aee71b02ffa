"""The attendee pages cost the same number of queries for 10 sessions as for 1,000, and a day of
a large conference stays light enough for a phone on conference Wi-Fi."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import counting_queries
from sqlalchemy import insert, select

from confnet.extensions import db
from confnet.models import ItemKind, ItemLink, Room, ScheduleItem, Speaker, Star, Track
from confnet.models.programme import item_speakers
from confnet.releases.services import publish_schedule

FIRST_DAY = date(2027, 3, 26)
KINDS = [ItemKind.TALK, ItemKind.TALK, ItemKind.PANEL, ItemKind.WORKSHOP, ItemKind.KEYNOTE]


def seed(make, slug: str, *, sessions: int, rooms: int, tracks: int, viewer) -> dict:
    """A published conference over three days: ``rooms`` parallel 25-minute sessions every half
    hour from 08:00, speakers on four sessions in five, two releases, and stars by ``viewer``
    on a clashing pair, a cancelled session and a few more. Bulk inserts keep it quick."""
    conference = make.conference(slug, starts_on=FIRST_DAY, days=3)
    tz = conference.tz
    make.member(viewer, conference)
    room_rows = [
        Room(conference_id=conference.id, name=f"Room {n + 1}", capacity=100, position=n)
        for n in range(rooms)
    ]
    track_rows = [
        Track(conference_id=conference.id, name=f"Track {n + 1}", colour=f"#{n + 1}0{n}0a0")
        for n in range(tracks)
    ]
    speaker_rows = [
        Speaker(conference_id=conference.id, name=f"Dr. Speaker Number {n}")
        for n in range(max(2, sessions // 2))
    ]
    db.session.add_all(room_rows + track_rows + speaker_rows)
    db.session.flush()
    per_day = -(-sessions // 3)
    rows = []
    for n in range(sessions):
        day, slot = divmod(n, per_day)
        row, column = divmod(slot, rooms)
        local = datetime.combine(FIRST_DAY + timedelta(days=day), time(8), tz)
        starts = (local + timedelta(minutes=30 * row)).astimezone(UTC)
        rows.append(
            {
                "conference_id": conference.id,
                "title": f"Session {n}: advances in evidence-based care for patients",
                "abstract": "Why it matters, what is new and what to do on Monday. " * 4,
                "kind": KINDS[n % len(KINDS)],
                "room_id": room_rows[column].id,
                "track_id": track_rows[n % tracks].id,
                "starts_at": starts,
                "ends_at": starts + timedelta(minutes=25),
                "tags": "evidence,care" if n % 3 == 0 else "",
            }
        )
    ids = list(
        db.session.scalars(
            insert(ScheduleItem).returning(ScheduleItem.id, sort_by_parameter_order=True), rows
        )
    )
    links = [
        {"item_id": item_id, "speaker_id": speaker_rows[(i + k) % len(speaker_rows)].id}
        for i, item_id in enumerate(ids)
        if i % 5
        for k in range(2)
    ]
    db.session.execute(insert(item_speakers), links)
    db.session.add(ItemLink(item_id=ids[rooms + 1], label="Slides", url="https://example.org/s"))
    publish_schedule(conference, by=None, confirm_conflicts=True)

    # A second release: one session moves, one is cancelled (after being starred).
    starred = [ids[rooms], ids[rooms + 1], ids[0], ids[rooms * 3 + 1], ids[-1]]
    db.session.execute(insert(Star), [{"user_id": viewer.id, "item_id": i} for i in starred])
    db.session.expire_all()
    moved, dropped = db.session.get(ScheduleItem, ids[1]), db.session.get(ScheduleItem, ids[0])
    moved.starts_at += timedelta(minutes=30)
    moved.ends_at += timedelta(minutes=30)
    dropped.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None, confirm_conflicts=True)
    return {"conference": conference, "item": ids[rooms + 1], "ids": ids}


@pytest.fixture
def viewer(make):
    return make.user()


@pytest.fixture
def small(make, viewer):
    return seed(make, "small", sessions=10, rooms=2, tracks=2, viewer=viewer)


@pytest.fixture
def large(make, viewer):
    return seed(make, "large", sessions=1000, rooms=20, tracks=5, viewer=viewer)


@pytest.fixture
def during_the_conference(monkeypatch):
    """09:10 on the first day: the "now and next" block is on."""
    moment = datetime.combine(FIRST_DAY, time(9, 10), ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr("confnet.schedule.views.utcnow", lambda: moment)


def queries_for(client, path: str) -> list[str]:
    db.session.commit()
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return [s for s in statements if s != "BEGIN"]  # SQLite's driver sends one, psycopg not


def pages(data: dict) -> dict[str, str]:
    slug = data["conference"].slug
    return {
        "schedule": f"/c/{slug}/schedule",
        "schedule, filtered": f"/c/{slug}/schedule?day=2027-03-27&q=care&kind=talk&tz=Asia/Tokyo",
        "session": f"/c/{slug}/sessions/{data['item']}",
        "agenda": f"/c/{slug}/agenda",
    }


def test_pages_run_a_fixed_number_of_queries(
    client, login, viewer, small, large, during_the_conference
):
    """Counted twice per page: the first request renders the day (nothing is cached yet for
    this version of the programme), the second serves it from the cache."""
    login(viewer)
    counts = {}
    for name in pages(small):
        few = [queries_for(client, pages(small)[name]) for _ in range(2)]
        many = [queries_for(client, pages(large)[name]) for _ in range(2)]
        assert list(map(len, few)) == list(map(len, many)), (name, few, many)
        counts[name] = list(map(len, many))
    print("queries per page (first, then cached):", counts)
    # The conference with the viewer's account and membership, the programme's state, stars;
    # the first time also its tracks, rooms, release, tags and timeline (once per state), the
    # day (items, badges, counts per day) and "now and next" (items, badges).
    assert counts["schedule"] == [12, 3]
    assert counts["schedule, filtered"] == [6, 3]  # no "now and next" while filtering
    # The conference with account and membership, the item with the programme's state and its
    # stars, the shared-notes box (the note and the viewer's private note in one); the first
    # time also its speakers, links and release history (in one).
    assert counts["session"] == [4, 3]
    assert max(counts["agenda"]) <= 3  # 2, plus the person's meetings (one query)


def test_a_large_day_stays_under_150_kb(client, login, viewer, large):
    login(viewer)
    response = client.get("/c/large/schedule?day=2027-03-26")
    html = response.get_data(as_text=True)
    assert html.count("<li") >= 334  # every session of the day is on the page
    assert html.count('aria-pressed="true"') == 4  # the viewer's stars
    assert html.count('<h3 class="slot"') == 17
    print("large day page:", len(response.data), "bytes")
    assert len(response.data) < 150_000


def test_the_seed_is_what_the_other_tests_assume(large, viewer):
    ids = large["ids"]
    assert len(ids) == 1000
    assert db.session.scalar(select(Star.item_id).filter_by(user_id=viewer.id, item_id=ids[0]))
    speakers = db.session.execute(select(item_speakers)).all()
    assert len(speakers) == 1600


def test_a_day_page_asked_again_reads_the_visit_and_the_stars_only(client, login, viewer, small):
    """The programme's state is kept by the worker until releases or programme stamps change
    (confnet.watch); a renamed room renews the stamp, and the next page shows the new name."""
    login(viewer)
    path = pages(small)["schedule"]
    room = db.session.scalar(select(Room).filter_by(conference_id=small["conference"].id))
    db.session.commit()
    client.get(path)
    with counting_queries() as statements:
        again = client.get(path)
    assert again.status_code == 200
    assert len([s for s in statements if s != "BEGIN"]) == 2
    room.name = "Willem Burger Zaal"
    db.session.commit()
    assert "Willem Burger Zaal" in client.get(path).get_data(as_text=True)
