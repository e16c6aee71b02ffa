"""Meetings through HTTP: booking from proposed times or a typed time, answering, the meetings
page, "My agenda", who may see what, and bad input (never a 500, nothing half-saved)."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from flask import render_template
from flask_login import login_user
from helpers import csrf
from meeting_pages import AMS, LIST, SAT, at, book_path, form, member, text_of
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.meetings.points import add_meeting_point
from confnet.models import IntroductionStatus, Meeting, MeetingStatus, Notification


@pytest.fixture
def anna(make, conference):
    return member(make, conference, "Anna de Vries")


@pytest.fixture
def bob(make, conference):
    return member(make, conference, "Bob Jansen")


@pytest.fixture
def intro(make, conference, anna, bob):
    return make.introduction(conference, anna, bob)


def as_user(app, user):
    """A second browser, logged in as ``user``."""
    other = app.test_client()
    token = csrf(other)
    response = other.post(
        "/log-in",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
    return other


def post_as(client, path, data=None, page="/account/profile", **kw):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, page)}, **kw)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Meeting))


def only_meeting() -> Meeting:
    db.session.expire_all()
    return db.session.scalar(select(Meeting))


# --- booking ---------------------------------------------------------------------------------


def test_booking_a_proposed_time_in_one_tap(app, client, login, post, intro, anna, bob):
    login(anna)
    page = client.get(book_path(intro))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Meet Bob Jansen" in text_of(page)
    slots = re.findall(r'name="slot" value="([^"]+)"', html)
    assert len(slots) == 6
    assert slots[0] == "2027-03-26T09:00"  # Friday 09:00, the first free time
    response = post(book_path(intro), form(slot=slots[1], clock=""))
    assert response.status_code == 302 and response.location.startswith(LIST + "#m")
    meeting = only_meeting()
    day, clock = slots[1].split("/")[0].split("T")
    local = meeting.starts_at.astimezone(AMS)
    assert (local.date().isoformat(), f"{local:%H:%M}") == (day, clock)
    assert (meeting.host_id, meeting.awaiting_id, meeting.place) == (anna.id, bob.id, "Coffee bar")
    note = db.session.scalar(select(Notification).filter_by(user_id=bob.id))
    assert note.text.startswith("Anna de Vries proposes to meet: ") and note.url == LIST
    listed = text_of(client.get(LIST))
    assert "Waiting for their answer" in listed and "With Bob Jansen" in listed


def test_longer_meetings_get_their_own_proposals(client, login, intro, anna):
    login(anna)
    html = client.get(book_path(intro) + "?minutes=60").get_data(as_text=True)
    assert re.findall(r'name="slot" value="([^"]+)"', html)[0] == "2027-03-26T09:00"
    assert '<option selected value="60">' in html and "09:00–10:00" in html
    html = client.get(book_path(intro) + "?minutes=banana").get_data(as_text=True)
    assert '<option selected value="30">' in html


def test_booking_a_typed_time_at_a_meeting_point(client, login, post, conference, intro, anna):
    lounge = add_meeting_point(conference, "Meeting lounge", "Level 2")
    login(anna)
    assert "Meeting lounge" in client.get(book_path(intro)).get_data(as_text=True)
    response = post(
        book_path(intro), form(day="2027-03-28", clock="10:15", minutes="45", point=str(lounge.id))
    )
    assert response.status_code == 302
    meeting = only_meeting()
    assert meeting.starts_at == datetime(2027, 3, 28, 8, 15, tzinfo=UTC)  # 10:15 CEST
    assert meeting.meeting_point_id == lounge.id
    listed = text_of(client.get(LIST))
    assert "Sun 28 Mar 10:15–11:00 CEST" in listed and "Meeting lounge — Level 2" in listed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": "2027-02-30"}, "Choose a day."),
        ({"day": "x" * 5000}, "Choose a day."),
        ({"day": "2027-03-29"}, "Choose one of the conference's days."),
        ({"clock": "25:00"}, "Give a time, like 10:30."),
        ({"clock": "<script>"}, "Give a time, like 10:30."),
        ({"clock": ""}, "Give a time, like 10:30."),
        ({"minutes": "17"}, "Choose one of the lengths."),
        ({"minutes": "9" * 400}, "Choose one of the lengths."),
        ({"point": "lounge"}, "Choose one of the meeting points, or “Other…”."),
        ({"point": "99999"}, "That meeting point doesn't exist (any more). Choose another."),
        ({"point": "9" * 40}, "That meeting point doesn't exist (any more). Choose another."),
        ({"place": "  "}, "Say where you'd like to meet."),
        ({"place": "x" * 161}, "Keep it within 160 characters."),
        ({"note": "x" * 501}, "Keep it within 500 characters."),
        ({"slot": "tomorrow"}, "That time is no longer on offer. Pick another one."),
        ({"slot": "2027-03-27T10:00/25"}, "That time is no longer on offer. Pick another one."),
        ({"slot": "2027-13-27T10:00/30"}, "That time is no longer on offer. Pick another one."),
        ({"day": "2027-03-28", "clock": "02:30"}, "02:30 doesn't exist on Sunday 28 March"),
        ({"slot": "2027-03-28T02:15"}, "02:15 doesn't exist on Sunday 28 March"),
        ({"slot": "2027-03-27T10:00", "minutes": "17"}, "Choose one of the lengths."),
        ({"clock": "08:30"}, "Meetings fit within the conference's hours: 09:00–18:00"),
        ({"clock": "17:45"}, "Meetings fit within the conference's hours: 09:00–18:00"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    client, login, post, intro, anna, fields, message
):
    login(anna)
    response = post(book_path(intro), form(**fields))
    assert response.status_code == 400
    assert message in unescape(response.get_data(as_text=True))
    assert count() == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_past_is_refused(monkeypatch, client, login, post, intro, anna):
    monkeypatch.setattr("confnet.meetings.views.utcnow", lambda: at(SAT, 12))
    login(anna)
    html = client.get(book_path(intro)).get_data(as_text=True)
    slots = re.findall(r'name="slot" value="([^"]+)"', html)
    assert slots and all(s >= "2027-03-27T12:15" for s in slots)  # none before now
    response = post(book_path(intro), form(day="2027-03-27", clock="11:00"))
    assert response.status_code == 400
    assert "That time has already passed. Choose a later one." in text_of(response)
    assert count() == 0


def test_html_and_script_are_shown_as_text(
    app, client, login, post, make, conference, intro, anna, bob
):
    bob.name = "<script>alert('name')</script>"
    login(anna)
    assert "<script>alert(" not in client.get(book_path(intro)).get_data(as_text=True)
    script = "<script>alert(1)</script>"
    response = post(
        book_path(intro), form(place=script, note=f"<img src=x onerror=alert(2)> {script}")
    )
    assert response.status_code == 302
    meeting = only_meeting()
    assert meeting.place == script  # stored as typed...
    for viewer in (client, as_user(app, bob)):
        html = viewer.get(LIST).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # ...and shown as text
        assert "<script>alert" not in html and "<img src=x" not in html
    refused = post(book_path(intro), form(clock="10:15", place=script))
    assert refused.status_code == 400 and "<script>alert" not in refused.get_data(as_text=True)


# --- who may do what -------------------------------------------------------------------------


def test_only_the_two_people_of_a_connection_can_book(
    app, client, login, post, make, conference, intro, anna, bob
):
    assert client.get(book_path(intro)).status_code == 302  # to log in
    stranger = make.user()
    make.member(stranger, conference)
    login(stranger)
    assert client.get(book_path(intro)).status_code == 404
    assert post(book_path(intro), form(), page="/account/profile").status_code == 404
    assert client.get("/c/medconf/meetings/book/2147483647").status_code == 404
    pending = make.introduction(conference, stranger, anna, status=IntroductionStatus.PENDING)
    assert client.get(book_path(pending)).status_code == 404
    elsewhere = make.conference("other")
    make.member(anna, elsewhere)
    assert as_user(app, anna).get(f"/c/other/meetings/book/{intro.id}").status_code == 404
    assert count() == 0


def test_answers_are_for_the_awaiting_person_only(
    app, client, login, make, conference, intro, anna, bob
):
    login(anna)
    client.post(book_path(intro), data={**form(), "csrf_token": csrf(client, book_path(intro))})
    meeting = only_meeting()
    stranger = make.user()
    make.member(stranger, conference)
    for path in ("accept", "decline"):
        assert post_as(client, f"{LIST}/{meeting.id}/{path}").status_code == 404  # Anna asked
    assert client.get(f"{LIST}/{meeting.id}/propose").status_code == 404
    outsider = as_user(app, stranger)
    for path in ("accept", "decline", "cancel"):
        assert post_as(outsider, f"{LIST}/{meeting.id}/{path}").status_code == 404
    assert outsider.get(f"{LIST}/{meeting.id}/propose").status_code == 404
    assert post_as(outsider, f"{LIST}/2147483647/accept").status_code == 404
    assert only_meeting().status is MeetingStatus.PROPOSED
    assert outsider.get(LIST).status_code == 200  # their own (empty) list
    assert "No meetings yet" in text_of(outsider.get(LIST))


def test_the_meetings_page_is_for_members(client, login, make, conference):
    assert client.get(LIST).status_code == 302
    login(make.user())
    assert client.get(LIST).status_code == 403
    assert client.get("/c/nope/meetings").status_code == 404


# --- answering -------------------------------------------------------------------------------


def test_accept_counter_propose_and_cancel(app, client, login, post, intro, anna, bob):
    login(anna)
    post(book_path(intro), form())
    meeting = only_meeting()
    bobs = as_user(app, bob)
    page = text_of(bobs.get(LIST))
    assert "Waiting for your answer" in page and "With Anna de Vries" in page
    propose = f"{LIST}/{meeting.id}/propose"
    assert 'value="10:00"' in bobs.get(propose).get_data(as_text=True)  # starts from the proposal
    response = post_as(bobs, propose, form(clock="11:00", minutes="20"), page=propose)
    assert response.status_code == 302
    meeting = only_meeting()
    assert (meeting.awaiting_id, meeting.sequence) == (anna.id, 1)
    assert "Sat 27 Mar 11:00–11:20 CET" in text_of(client.get(LIST))
    response = post_as(client, f"{LIST}/{meeting.id}/accept", follow_redirects=True)
    assert "Accepted. The meeting is in both your agendas." in text_of(response)
    assert only_meeting().status is MeetingStatus.ACCEPTED
    bob_notes = db.session.scalars(select(Notification.text).filter_by(user_id=bob.id)).all()
    assert "Anna de Vries accepted to meet: Sat 27 Mar 11:00–11:20 CET, Coffee bar." in bob_notes
    response = post_as(bobs, f"{LIST}/{meeting.id}/cancel", follow_redirects=True)
    assert "The meeting is cancelled." in text_of(response)
    assert "Cancelled" in text_of(response) and "withdr" not in text_of(response)
    assert only_meeting().status is MeetingStatus.CANCELLED and only_meeting().sequence == 2
    again = post_as(bobs, f"{LIST}/{meeting.id}/cancel", follow_redirects=True)
    assert "This meeting was already cancelled." in text_of(again)


def test_declining(app, client, login, post, intro, anna, bob):
    login(anna)
    post(book_path(intro), form())
    meeting = only_meeting()
    response = post_as(as_user(app, bob), f"{LIST}/{meeting.id}/decline", follow_redirects=True)
    assert "You said no." in text_of(response) and "declined" not in text_of(response).lower()
    assert only_meeting().status is MeetingStatus.DECLINED
    page = text_of(client.get(LIST))
    assert "Not possible — Bob Jansen can't make that time" in page
    assert "Propose another time" in page
    assert "declined" not in page.lower()


def test_a_meeting_whose_time_passed_is_not_accepted(
    monkeypatch, app, client, login, post, intro, anna, bob
):
    login(anna)
    post(book_path(intro), form(clock="10:00"))
    meeting = only_meeting()
    monkeypatch.setattr("confnet.meetings.views.utcnow", lambda: at(SAT, 10, 1))
    response = post_as(as_user(app, bob), f"{LIST}/{meeting.id}/accept", follow_redirects=True)
    assert "This meeting&#39;s time has passed." in response.get_data(as_text=True)
    assert only_meeting().status is MeetingStatus.PROPOSED


def test_a_refused_counter_proposal_keeps_the_meeting_as_it_was(
    app, client, login, post, intro, anna, bob
):
    login(anna)
    post(book_path(intro), form())
    meeting = only_meeting()
    propose = f"{LIST}/{meeting.id}/propose"
    response = post_as(as_user(app, bob), propose, form(clock="07:00"), page=propose)
    assert response.status_code == 400
    assert "Meetings fit within the conference" in response.get_data(as_text=True)
    meeting = only_meeting()
    assert (meeting.starts_at, meeting.awaiting_id, meeting.sequence) == (at(SAT, 10), bob.id, 0)


# --- agenda and the connection page ----------------------------------------------------------


def test_the_agenda_shows_meetings_next_to_sessions(
    app, client, login, post, make, conference, intro, anna, bob
):
    talk = make.item(conference, title="Heart failure update", starts_at=at(SAT, 9), minutes=60)
    make.item(conference, title="Closing", starts_at=at(SAT, 17), minutes=60)  # hours: 9 to 18
    make.publish(conference)
    login(anna)
    post(f"/c/medconf/sessions/{talk.id}/star", page=f"/c/medconf/sessions/{talk.id}")
    post(book_path(intro), form(clock="10:00", place="Bar <b>2</b>"))
    page = text_of(client.get("/c/medconf/agenda"))
    assert "1 starred session. 1 proposed meeting waiting for an answer." in page
    row = "Meeting with Bob Jansen 10:00–10:30 · Meeting · Bar <b>2</b> Proposed"
    assert f"{row} waiting for Bob Jansen’s answer" in page
    meeting = only_meeting()
    post_as(as_user(app, bob), f"{LIST}/{meeting.id}/accept")
    for viewer, other in ((client, "Bob Jansen"), (as_user(app, bob), "Anna de Vries")):
        response = viewer.get("/c/medconf/agenda")
        html = response.get_data(as_text=True)
        assert f"Meeting with {other} 10:00–10:30 · Meeting · Bar <b>2</b>" in text_of(response)
        assert "Bar &lt;b&gt;2&lt;/b&gt;" in html and "Proposed" not in text_of(response)
        assert "1 meeting. Times in" in text_of(response)
        assert f'href="/c/medconf/meetings#m{meeting.id}"' in html
    page = text_of(client.get("/c/medconf/agenda"))
    assert "Saturday 27 March" in page and "Clashes with" not in page


def test_the_agenda_marks_a_session_starred_over_an_accepted_meeting(
    app, client, login, post, make, conference, intro, anna, bob
):
    login(anna)
    post(book_path(intro), form(clock="10:00"))
    meeting = only_meeting()
    post_as(as_user(app, bob), f"{LIST}/{meeting.id}/accept")
    talk = make.item(conference, title="Late addition", starts_at=at(SAT, 10), minutes=45)
    make.publish(conference)
    post(f"/c/medconf/sessions/{talk.id}/star", page=f"/c/medconf/sessions/{talk.id}")
    page = text_of(client.get("/c/medconf/agenda"))
    assert "Clashes with Meeting with Bob Jansen (10:00–10:30)" in page
    assert "Clashes with Late addition (10:00–10:45)" in page


def test_the_connection_page_partial(app, make, conference, intro, anna, bob):
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=intro.id,
        host_id=anna.id,
        guest_id=bob.id,
        awaiting_id=bob.id,
        starts_at=at(SAT, 10),
        ends_at=at(SAT, 10, 30),
        place="<i>Bar</i>",
    )
    db.session.add(meeting)
    db.session.commit()
    with app.test_request_context("/c/medconf/introductions"):
        login_user(anna)
        html = render_template(
            "meetings/_for_connection.html", introduction=intro, conference=conference
        )
    assert f'href="/c/medconf/meetings#m{meeting.id}">&lt;i&gt;Bar&lt;/i&gt;</a>' in html
    assert "Waiting for their answer" in html and "Sat 27 Mar" in html
    assert f'href="/c/medconf/meetings/book/{intro.id}"' in html
    stranger = make.user()
    db.session.commit()
    with app.test_request_context("/c/medconf/introductions"):
        login_user(stranger)
        html = render_template(
            "meetings/_for_connection.html", introduction=intro, conference=conference
        )
    assert "No meetings planned yet." in html and "Book a meeting" not in html


def test_the_agenda_costs_the_same_queries_for_one_meeting_as_for_five(
    app, client, login, make, conference, intro, anna, bob
):
    from helpers import counting_queries

    login(anna)
    counts = []
    for hours in ([10], [11, 12, 13, 14]):
        for hour in hours:
            db.session.add(
                Meeting(
                    conference_id=conference.id,
                    introduction_id=intro.id,
                    host_id=anna.id,
                    guest_id=bob.id,
                    starts_at=at(SAT, hour),
                    ends_at=at(SAT, hour, 30),
                    place="Hall",
                    status=MeetingStatus.ACCEPTED,
                )
            )
        db.session.commit()
        with counting_queries() as statements:
            page = client.get("/c/medconf/agenda")
        assert page.get_data(as_text=True).count("Meeting with Bob Jansen") == len(counts) * 4 + 1
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6
