"""The organizers' import page and draft export, through the test client."""

import io
from datetime import UTC, date, datetime

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import PublishedItem, Role, Room, ScheduleItem, Speaker, Track

PAGE = "/c/cardio-27/manage/imports"
GOOD_CSV = (
    "title,kind,start,end,room,track,speakers\n"
    "Echo for beginners,workshop,2027-03-26 10:30,2027-03-26 12:00,Skills Lab,Cardiology,Ada\n"
    "Sunday keynote,keynote,2027-03-28 10:00,2027-03-28 11:00,Main Hall,,\n"
)
BAD_CSV = (
    "title,kind,start,end,room\n"
    "Fine,talk,2027-03-26 09:00,2027-03-26 09:30,New Room\n"
    "Broken,seminar,2027-03-26 09:00,2027-03-26 09:30,\n"
    "Skipped hour,talk,2027-03-28 02:15,2027-03-28 03:15,\n"
)


@pytest.fixture
def conference(make):
    return make.conference("cardio-27", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))


@pytest.fixture
def organizer(make, conference, login):
    user = make.user()
    make.member(user, conference, Role.ORGANIZER)
    login(user)
    return user


def upload(client, data: bytes, filename: str, fmt: str = "auto", token: str | None = None):
    return client.post(
        PAGE,
        data={
            "csrf_token": token or csrf(client, PAGE),
            "format": fmt,
            "file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_page_explains_the_columns_and_links_the_exports(client, organizer):
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert "Echo for beginners,workshop,2027-03-26 10:30" in html  # the CSV example
    assert "Europe/Amsterdam" in html
    for path in ("schedule.json", "schedule.xml", "schedule.csv", "manage/exports/draft.csv"):
        assert f'href="/c/cardio-27/{path}"' in html
    assert 'href="/static/css/interchange.' in html


def test_a_good_file_is_imported_and_summarised(client, organizer):
    response = upload(client, GOOD_CSV.encode(), "programme.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Imported 2 sessions: 2 new, 0 updated." in html
    assert "New rooms: Skills Lab, Main Hall." in html
    assert "attendees see them once you publish" in html
    assert count(ScheduleItem) == 2 and count(PublishedItem) == 0
    keynote = db.session.scalar(select(ScheduleItem).filter_by(title="Sunday keynote"))
    assert keynote.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)


def test_a_bad_file_lists_every_problem_and_changes_nothing(client, organizer):
    response = upload(client, BAD_CSV.encode(), "programme.csv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "<strong>Line 3</strong>: The kind “seminar” is unknown" in html
    assert "<strong>Line 4</strong>: The start 2027-03-28 02:15 does not exist" in html
    assert count(ScheduleItem) == count(Room) == count(Track) == count(Speaker) == 0


def test_the_format_can_be_chosen_for_an_unusual_file_name(client, organizer):
    json_text = (
        '{"schedule": {"version": "1", "conference": {"days": [{"index": 1, '
        '"date": "2027-03-26", "rooms": {"Hall": [{"title": "From JSON", "type": "talk", '
        '"date": "2027-03-26T09:00:00+01:00", "duration": "00:30"}]}}]}}}'
    )
    response = upload(client, json_text.encode(), "export.txt", fmt="json")
    assert response.status_code == 302
    assert db.session.scalar(select(ScheduleItem.title)) == "From JSON"


def test_an_upload_without_a_file_is_refused(client, organizer):
    response = client.post(PAGE, data={"csrf_token": csrf(client, PAGE), "format": "auto"})
    assert response.status_code == 400
    assert "Choose a file to import." in response.get_data(as_text=True)


def test_an_upload_without_csrf_token_is_refused(client, organizer):
    response = client.post(
        PAGE,
        data={"format": "auto", "file": (io.BytesIO(GOOD_CSV.encode()), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count(ScheduleItem) == 0


def test_an_oversized_upload_gets_a_readable_413_page(client, organizer):
    token = csrf(client, PAGE)
    big = GOOD_CSV.encode() + b"x" * (3 * 1024 * 1024)
    response = upload(client, big, "huge.csv", token=token)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That upload is too large" in html and "<html" in html
    assert count(ScheduleItem) == 0


def test_attendees_get_403_and_anonymous_visitors_are_sent_to_log_in(
    client, make, conference, login
):
    assert client.get(PAGE).status_code == 302
    assert "/log-in" in client.get(PAGE).headers["Location"]
    assert client.get("/c/cardio-27/manage/exports/draft.csv").status_code == 302
    attendee = make.user()
    make.member(attendee, conference, Role.ATTENDEE)
    login(attendee)
    assert client.get(PAGE).status_code == 403
    token = csrf(client, "/c/cardio-27/")
    assert upload(client, GOOD_CSV.encode(), "x.csv", token=token).status_code == 403
    assert client.get("/c/cardio-27/manage/exports/draft.csv").status_code == 403
    assert count(ScheduleItem) == 0


def test_an_organizer_of_another_conference_gets_403(client, make, login, conference):
    other = make.conference("other-27")
    user = make.user()
    make.member(user, other, Role.ORGANIZER)
    login(user)
    assert client.get(PAGE).status_code == 403


def test_site_admins_may_import(client, make, login, conference):
    login(make.user(admin=True))
    assert upload(client, GOOD_CSV.encode(), "x.csv").status_code == 302
    assert count(ScheduleItem) == 2


def test_unknown_conference_is_404(client, organizer):
    assert client.get("/c/nope/manage/imports").status_code == 404


def test_the_draft_csv_holds_unpublished_sessions_and_imports_back(
    client, organizer, make, conference
):
    make.item(conference, title="Unpublished idea")
    response = client.get("/c/cardio-27/manage/exports/draft.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cardio-27-draft.csv"'
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Unpublished idea" in response.get_data(as_text=True)
    again = upload(client, response.data, "cardio-27-draft.csv")
    assert again.status_code == 302
    assert "0 new, 1 updated" in client.get(PAGE).get_data(as_text=True)
    assert count(ScheduleItem) == 1
