"""Organizer pages through the test client: access, rooms, tracks and sessions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import ItemLink, Role, Room, ScheduleItem, Speaker, Track
from confnet.releases.services import publish_schedule

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET
PAGES = [
    "/manage",
    "/manage/sessions",
    "/manage/sessions/new",
    "/manage/rooms",
    "/manage/tracks",
    "/manage/conflicts",
    "/manage/releases",
    "/manage/demand",
]


@pytest.fixture
def conference(make):
    return make.conference("cardio", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def organizer(make, conference, login):
    user = make.user()
    make.member(user, conference, Role.ORGANIZER)
    login(user)
    return user


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def text(response) -> str:
    return response.get_data(as_text=True)


def session_form(**changes) -> dict:
    data = {
        "title": "Heart failure at home",
        "kind": "talk",
        "track": "",
        "room": "",
        "day": "2027-03-26",
        "starts": "09:00",
        "ends": "09:45",
        "speakers": "",
        "tags": "",
        "links": "",
        "capacity": "",
        "abstract": "",
    }
    return {**data, **changes}


# ---- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, conference, page):
    response = client.get(f"/c/cardio{page}")
    assert response.status_code == 302 and "/log-in" in response.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_attendees_and_other_conferences_organizers_get_403(make, conference, login, client, page):
    attendee = make.user()
    make.member(attendee, conference, Role.SPEAKER)
    make.member(attendee, make.conference(), Role.ORGANIZER)  # organizer elsewhere
    login(attendee)
    assert client.get(f"/c/cardio{page}").status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_organizers_and_site_admins_see_every_page(make, conference, organizer, client, page):
    assert client.get(f"/c/cardio{page}").status_code == 200


def test_site_admins_may_edit_any_programme(make, conference, login, client):
    login(make.user(admin=True))
    assert client.get("/c/cardio/manage/sessions").status_code == 200


def test_unknown_conferences_and_objects_of_other_conferences_are_404(
    make, conference, organizer, client
):
    other = make.conference("other")
    make.member(organizer, other, Role.ORGANIZER)
    room, track, item = make.room(other), make.track(other), make.item(other)
    assert client.get("/c/nowhere/manage/sessions").status_code == 404
    assert client.get(f"/c/cardio/manage/rooms/{room.id}").status_code == 404
    assert client.get(f"/c/cardio/manage/tracks/{track.id}").status_code == 404
    assert client.get(f"/c/cardio/manage/sessions/{item.id}").status_code == 404
    assert client.get("/c/cardio/manage/sessions/99999999999999").status_code == 404
    assert client.get(f"/c/other/manage/sessions/{item.id}").status_code == 200


def test_a_post_without_csrf_token_is_refused(conference, organizer, client):
    response = client.post("/c/cardio/manage/rooms", data={"name": "Hall"})
    assert response.status_code == 400
    assert "Reload the page" in text(response)
    assert count(Room) == 0


def test_non_organizers_cannot_post_either(make, conference, login, post):
    attendee = make.user()
    make.member(attendee, conference, Role.ATTENDEE)
    login(attendee)
    response = post("/c/cardio/manage/rooms", {"name": "Hall"}, page="/c/cardio/")
    assert response.status_code == 403 and count(Room) == 0


# ---- rooms and tracks ----------------------------------------------------------------------


def test_adding_editing_and_deleting_a_room(conference, organizer, client, post):
    response = post(
        "/c/cardio/manage/rooms",
        {"name": "Main Hall", "capacity": "800", "notes": "Ground floor", "position": "1"},
    )
    assert response.status_code == 302
    room = db.session.scalar(select(Room))
    assert (room.name, room.capacity, room.notes) == ("Main Hall", 800, "Ground floor")
    page = text(client.get("/c/cardio/manage/rooms"))
    assert "Room “Main Hall” added." in page and "800 seats" in page

    path = f"/c/cardio/manage/rooms/{room.id}"
    post(path, {"name": "Great Hall", "capacity": "", "notes": "", "position": "0"})
    db.session.expire_all()
    assert room.name == "Great Hall" and room.capacity is None
    response = post(f"{path}/delete", page=path)
    assert response.status_code == 302 and count(Room) == 0


def test_a_duplicate_room_name_gets_a_readable_message(make, conference, organizer, post):
    make.room(conference, "Main Hall")
    response = post("/c/cardio/manage/rooms", {"name": "Main Hall", "position": "0"})
    assert response.status_code == 200
    assert "This conference already has a room called “Main Hall”." in text(response)
    assert count(Room) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Hall", "capacity": "lots"}, "Write a whole number"),
        ({"name": "Hall", "capacity": "-3"}, "From 1 to"),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"name": ""}, "This field is required."),
        ({"name": "Hall", "position": "99999999999999999999"}, "Number must be between"),
    ],
)
def test_bad_room_input_is_explained(conference, organizer, post, data, message):
    response = post("/c/cardio/manage/rooms", data)
    assert response.status_code == 200 and message in text(response)
    assert count(Room) == 0


def test_a_room_in_use_is_not_deleted(make, conference, organizer, client, post):
    room = make.room(conference, "Hall")
    make.item(conference, room=room)
    path = f"/c/cardio/manage/rooms/{room.id}"
    response = post(f"{path}/delete", page=path, follow_redirects=True)
    assert "1 session(s) still use this room" in text(response)
    assert count(Room) == 1


def test_tracks_take_a_colour(conference, organizer, client, post):
    response = post("/c/cardio/manage/tracks", {"name": "Cardiology", "colour": "#B42318"})
    assert response.status_code == 302
    track = db.session.scalar(select(Track))
    assert track.colour == "#b42318"
    assert 'fill="#b42318"' in text(client.get("/c/cardio/manage/tracks"))
    response = post("/c/cardio/manage/tracks", {"name": "Oncology", "colour": "purple"})
    assert "six hex digits" in text(response) and count(Track) == 1
    response = post("/c/cardio/manage/tracks", {"name": "Cardiology", "colour": "#000000"})
    assert "already has a track called “Cardiology”" in text(response)
    path = f"/c/cardio/manage/tracks/{track.id}"
    post(path, {"name": "Heart", "colour": "#123456"})
    db.session.expire_all()
    assert (track.name, track.colour) == ("Heart", "#123456")


# ---- sessions ------------------------------------------------------------------------------


def test_creating_a_session_shows_it_on_its_edit_page(make, conference, organizer, client, post):
    room, track = make.room(conference, "Maas Room"), make.track(conference, "Oncology")
    response = post(
        "/c/cardio/manage/sessions/new",
        session_form(
            room=str(room.id),
            track=str(track.id),
            day="2027-03-28",
            starts="10:30",
            ends="11:15",
            speakers="Helena Lindqvist\nNo Account <nobody@example.org>",
            tags="Immunotherapy, Oncology",
            links="Slides | https://example.org/s.pdf",
        ),
    )
    item = db.session.scalar(select(ScheduleItem))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/cardio/manage/sessions/{item.id}")
    assert item.starts_at == datetime(2027, 3, 28, 8, 30, tzinfo=UTC)  # 10:30 CEST
    page = text(client.get(response.headers["Location"]))
    assert "Session saved." in page
    assert "No account uses nobody@example.org" in page
    assert 'value="10:30"' in page and 'value="2027-03-28"' in page
    assert "immunotherapy,oncology" in page
    assert "Slides | https://example.org/s.pdf" in page
    assert ">draft<" in page and 'class="warning"' not in page


def test_the_edit_page_names_each_conflict_of_the_session(make, conference, organizer, post):
    lab = make.room(conference, "Lab", capacity=20)
    ada = Speaker(conference_id=conference.id, name="Ada Byron")
    other = make.item(conference, title="Lungs", room=lab, starts_at=FRI_9, speakers=[ada])
    elsewhere = make.item(
        conference, title="Kidneys", starts_at=FRI_9 + timedelta(minutes=30), speakers=[ada]
    )
    item = make.item(conference, title="Heart", starts_at=FRI_9 + timedelta(days=5))
    path = f"/c/cardio/manage/sessions/{item.id}"
    response = post(
        path,
        session_form(title="Heart", room=str(lab.id), speakers="ada byron"),
        follow_redirects=True,
    )
    page = text(response)
    assert "3 conflicts" in page
    assert "Lab is also booked for “Lungs” (Fri 26 Mar 09:00–09:45)." in page
    assert "Ada Byron also speaks in “Lungs” (Fri 26 Mar 09:00–09:45)." in page
    assert "Ada Byron also speaks in “Kidneys” (Fri 26 Mar 09:30–10:15)." in page
    assert f"/c/cardio/manage/sessions/{other.id}" in page
    assert f"/c/cardio/manage/sessions/{elsewhere.id}" in page
    # Moved outside the conference's days and over the room's capacity:
    changes = session_form(title="Heart", day="2027-03-30", room=str(lab.id), capacity="30")
    page = text(post(path, changes, follow_redirects=True))
    assert "2 conflicts" in page
    assert "It is outside the conference&#39;s days (26–28 March 2027)." in page
    assert "Its 30 places are more than Lab holds (20)." in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2027-03-28", "starts": "02:30", "ends": "04:00"}, "There is no 02:30"),
        ({"ends": "08:00"}, "The end must be after the start"),
        ({"starts": "25:99"}, "A time like 14:30."),
        ({"day": "not-a-day"}, "A date like 2027-03-26."),
        ({"kind": "lecture"}, "Not a valid choice."),
        ({"title": "t" * 201}, "Field cannot be longer than 200 characters."),
        ({"capacity": "many"}, "Write a whole number"),
        ({"signup_required": "y"}, "Sign-up needs a capacity"),
        (
            {"links": "Slides | https://ok.example\nPaper"},
            "Line 2: write “Label | https://address”",
        ),
        ({"speakers": "Ada <ada@>"}, "is not an email address"),
    ],
)
def test_bad_session_input_saves_nothing(conference, organizer, post, changes, message):
    data = session_form(**{"speakers": "New Person", **changes})
    response = post("/c/cardio/manage/sessions/new", data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(ScheduleItem) == count(Speaker) == count(ItemLink) == 0


def test_a_room_of_another_conference_is_rejected(make, conference, organizer, post):
    foreign = make.room(make.conference(), "Elsewhere")
    response = post("/c/cardio/manage/sessions/new", session_form(room=str(foreign.id)))
    assert "Choose one of the listed rooms." in text(response)
    assert count(ScheduleItem) == 0


def test_a_failed_edit_leaves_the_session_as_it_was(make, conference, organizer, post):
    item = make.item(conference, title="Original", starts_at=FRI_9)
    path = f"/c/cardio/manage/sessions/{item.id}"
    response = post(path, session_form(title="Changed", links="Slides | https://ok.example\nbad"))
    assert "Line 2" in text(response)
    db.session.expire_all()
    assert item.title == "Original" and item.links == []


def test_cancel_restore_and_delete(make, conference, organizer, client, post):
    shown = make.item(conference, title="Shown", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    draft = make.item(conference, title="Draft", starts_at=FRI_9 + timedelta(hours=2))
    shown_path = f"/c/cardio/manage/sessions/{shown.id}"

    response = post(f"{shown_path}/delete", page=shown_path, follow_redirects=True)
    assert "has been published" in text(response) and "Cancel it instead" in text(response)
    assert count(ScheduleItem) == 2

    response = post(f"{shown_path}/cancel", page=shown_path, follow_redirects=True)
    assert "is cancelled. Attendees will see that after the next release." in text(response)
    db.session.expire_all()
    assert shown.cancelled is True
    listing = text(client.get("/c/cardio/manage/sessions"))
    assert "cancelled" in listing and "changes not published (cancelled)" in listing
    post(f"{shown_path}/restore", page=shown_path)
    db.session.expire_all()
    assert shown.cancelled is False

    draft_path = f"/c/cardio/manage/sessions/{draft.id}"
    response = post(f"{draft_path}/delete", page=draft_path, follow_redirects=True)
    assert "“Draft” deleted." in text(response)
    assert db.session.scalars(select(ScheduleItem.title)).all() == ["Shown"]


def test_the_list_shows_days_badges_and_filters(make, conference, organizer, client):
    hall, lab = make.room(conference, "Hall"), make.room(conference, "Lab")
    synced = make.item(conference, title="Synced talk", room=hall, starts_at=FRI_9)
    moved = make.item(conference, title="Moved talk", room=lab, starts_at=FRI_9)
    publish_schedule(conference, by=None)
    moved.room = hall  # double-booked now, and not yet published
    make.item(conference, title="Sunday draft", starts_at=datetime(2027, 3, 28, 9, tzinfo=UTC))
    page = text(client.get("/c/cardio/manage/sessions"))
    assert "Fri 26 Mar 2027" in page and "Sun 28 Mar 2027" in page
    assert page.count("2 conflicts") == 0 and page.count(">1 conflict<") == 2
    assert "changes not published (room changed)" in page
    assert page.count(">draft<") == 1
    assert synced.title in page

    only_sunday = text(client.get("/c/cardio/manage/sessions?day=2027-03-28"))
    assert "Sunday draft" in only_sunday and "Synced talk" not in only_sunday
    by_room = text(client.get(f"/c/cardio/manage/sessions?room={lab.id}"))
    assert "1 session match" not in by_room and "0 sessions match" in by_room
    searched = text(client.get("/c/cardio/manage/sessions?q=moved"))
    assert "Moved talk" in searched and "Synced talk" not in searched


def test_bad_filters_are_ignored_not_fatal(conference, organizer, client):
    response = client.get(
        "/c/cardio/manage/sessions?day=yesterday&room=abc&track=99&q=" + "x" * 300
    )
    assert response.status_code == 200
    assert "Not a valid choice." in text(response)
