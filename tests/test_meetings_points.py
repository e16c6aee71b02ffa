"""Organizers' meeting points: the service rules and the page (organizers only)."""

from datetime import UTC, date, datetime
from html import unescape

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.meetings.points import PointRefused, add_meeting_point, delete_meeting_point
from confnet.models import Meeting, MeetingPoint, Role

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
POINTS = "/c/medconf/meetings/points"


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=date(2027, 3, 26))


@pytest.fixture
def organizer(make, conference):
    user = make.user(name="Olga Organizer")
    make.member(user, conference, Role.ORGANIZER)
    return user


def points() -> list[str]:
    return list(db.session.scalars(select(MeetingPoint.name).order_by(MeetingPoint.id)))


def test_names_are_unique_per_conference_whatever_their_case(make, conference):
    add_meeting_point(conference, "  Meeting   lounge ", " Level 2\r\nby the stairs ")
    assert points() == ["Meeting lounge"]
    assert db.session.scalar(select(MeetingPoint.details)) == "Level 2\nby the stairs"
    with pytest.raises(PointRefused) as refused:
        add_meeting_point(conference, "meeting LOUNGE")
    assert refused.value.message == "There is already a meeting point called “meeting LOUNGE”."
    add_meeting_point(make.conference(), "Meeting lounge")  # another conference's
    assert points() == ["Meeting lounge", "Meeting lounge"]


@pytest.mark.parametrize(
    ("name", "details", "message"),
    [
        (" \n ", "", "Give the meeting point a name."),
        ("x" * 121, "", "Keep the name within 120 characters and the details within 300."),
        ("Lounge", "x" * 301, "Keep the name within 120 characters and the details within 300."),
    ],
)
def test_bad_meeting_points_are_refused(conference, name, details, message):
    with pytest.raises(PointRefused) as refused:
        add_meeting_point(conference, name, details)
    assert refused.value.message == message
    assert points() == []


def test_deleting_a_point_keeps_its_name_on_the_meetings_there(make, conference):
    anna, bob = make.user(), make.user()
    intro = make.introduction(conference, anna, bob)
    lounge = add_meeting_point(conference, "Meeting lounge")
    starts = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=intro.id,
        host_id=anna.id,
        guest_id=bob.id,
        awaiting_id=bob.id,
        starts_at=starts,
        ends_at=starts.replace(minute=30),
        meeting_point_id=lounge.id,
    )
    db.session.add(meeting)
    db.session.flush()
    assert meeting.where == "Meeting lounge"
    assert delete_meeting_point(lounge, now=NOW) == 1
    assert points() == []
    meeting = db.session.get(Meeting, meeting.id)
    assert (meeting.meeting_point_id, meeting.place, meeting.where) == (
        None,
        "Meeting lounge",
        "Meeting lounge",
    )
    assert meeting.updated_at == NOW


def test_organizers_add_and_delete_meeting_points(client, login, post, organizer):
    login(organizer)
    assert client.get(POINTS).status_code == 200
    response = post(POINTS, {"name": "<script>alert(1)</script>", "details": "<b>Level 2</b>"})
    assert response.status_code == 302
    html = client.get(POINTS).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;b&gt;Level 2&lt;/b&gt;" in html
    again = post(POINTS, {"name": "<SCRIPT>alert(1)</SCRIPT>"})
    assert again.status_code == 400
    assert "There is already a meeting point called “<SCRIPT>alert(1)</SCRIPT>”." in unescape(
        again.get_data(as_text=True)
    )
    assert "<SCRIPT>" not in again.get_data(as_text=True)
    for data, message in [
        ({"name": ""}, "Give the meeting point a name."),
        ({"name": "x" * 121}, "Keep the name within 120 characters."),
        ({"name": "Ok", "details": "x" * 301}, "Keep it within 300 characters."),
    ]:
        refused = post(POINTS, data)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert len(points()) == 1
    point_id = db.session.scalar(select(MeetingPoint.id))
    response = post(f"{POINTS}/{point_id}/delete", page=POINTS, follow_redirects=True)
    assert "Deleted “&lt;script&gt;alert(1)&lt;/script&gt;”." in response.get_data(as_text=True)
    assert points() == []
    assert post(f"{POINTS}/{point_id}/delete", page=POINTS).status_code == 404


def test_meeting_points_are_for_organizers(app, client, login, post, make, conference):
    assert client.get(POINTS).status_code == 302  # to log in
    attendee = make.user()
    make.member(attendee, conference)
    theirs = add_meeting_point(make.conference("other"), "Lounge")
    login(attendee)
    assert client.get(POINTS).status_code == 403
    assert post(POINTS, {"name": "Mine"}, page="/account/profile").status_code == 403
    path = f"{POINTS}/{theirs.id}/delete"
    assert post(path, page="/account/profile").status_code == 403
    organizer = make.user()
    make.member(organizer, conference, Role.ORGANIZER)
    theirs_too = app.test_client()
    theirs_too.post(
        "/log-in",
        data={"email": organizer.email, "password": make.PASSWORD, "csrf_token": csrf(theirs_too)},
    )
    token = csrf(theirs_too, POINTS)
    assert theirs_too.post(path, data={"csrf_token": token}).status_code == 404  # not this one's
    assert db.session.scalar(select(func.count()).select_from(MeetingPoint)) == 1
    assert client.get("/c/nope/meetings/points").status_code == 404
