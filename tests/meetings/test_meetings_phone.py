"""What a first user found on a phone: gentle words for a time that isn't possible, a length
that can change without losing what was typed, no counter-proposal of the same time, withdrawn
proposals that aren't "cancelled", links back to the connection, errors next to their fields,
the proposals already pending on the booking page, and the people pages' navigation."""

import re

import pytest
from helpers import csrf
from meeting_pages import LIST, SAT, at, book_path, form, member, text_of
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import IntroductionStatus, Meeting, MeetingStatus, Notification

SLOT = re.compile(r'name="slot" value="([^"]+)"')


@pytest.fixture
def lotte(make, conference):
    return member(make, conference, "Lotte Bakker")


@pytest.fixture
def julien(make, conference):
    return member(make, conference, "Julien Moreau")


@pytest.fixture
def intro(make, conference, lotte, julien):
    return make.introduction(conference, lotte, julien)


def second_phone(app, user):
    other = app.test_client()
    response = other.post(
        "/log-in",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": csrf(other)},
    )
    assert response.status_code == 302
    return other


def post_as(client, path, data=None, page="/account/profile", **kw):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, page)}, **kw)


def only_meeting() -> Meeting:
    db.session.expire_all()
    return db.session.scalar(select(Meeting))


def notes_of(user) -> list[str]:
    return db.session.scalars(select(Notification.text).filter_by(user_id=user.id)).all()


def booked(client, post, intro, **fields) -> Meeting:
    assert post(book_path(intro), form(**fields)).status_code == 302
    return only_meeting()


# --- 1. a time that isn't possible ----------------------------------------------------------


def test_the_proposer_reads_not_possible_and_the_other_you_said_no(
    app, client, login, post, intro, lotte, julien
):
    login(lotte)
    meeting = booked(client, post, intro)
    juliens = second_phone(app, julien)
    answer = post_as(juliens, f"{LIST}/{meeting.id}/decline", follow_redirects=True)
    assert "You said no" in text_of(answer)
    page = text_of(client.get(LIST))
    assert "Not possible — Julien Moreau can't make that time" in page
    assert "declined" not in page.lower()
    html = client.get(LIST).get_data(as_text=True)
    assert f'href="{book_path(intro)}">Propose another time</a>' in html
    assert all("declined" not in note.lower() for note in notes_of(lotte))
    assert notes_of(lotte) == [
        "Not possible — Julien Moreau can't make Sat 27 Mar 10:00–10:30 CET."
    ]
    assert "declined" not in text_of(client.get(book_path(intro))).lower()
    again = post_as(client, f"{LIST}/{meeting.id}/cancel", follow_redirects=True)
    assert "declined" not in text_of(again).lower()


def test_no_book_again_once_the_connection_is_closed(app, client, login, post, intro, lotte):
    login(lotte)
    meeting = booked(client, post, intro)
    post(f"{LIST}/{meeting.id}/cancel", page=LIST)
    assert "Book again" in text_of(client.get(LIST))
    intro.status = IntroductionStatus.ENDED
    db.session.commit()
    page = client.get(LIST).get_data(as_text=True)
    assert "Book again" not in page and "/introductions/" not in page.split("<h1")[1]


# --- 2. changing the length keeps what was typed --------------------------------------------


def test_another_length_keeps_the_note_and_the_place(client, login, post, intro, lotte):
    login(lotte)
    typed = form(minutes="60", place="The terrace", note="Trial design", clock="", show="1")
    response = post(book_path(intro), typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="The terrace"' in html and "Trial design</textarea>" in html
    assert '<option selected value="60">' in html and '<option selected value="other">' in html
    assert SLOT.findall(html)[0] == "2027-03-26T09:00" and "09:00–10:00" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0
    assert "Give a time" not in html  # nothing was sent, so nothing is wrong yet


def test_a_tapped_time_uses_the_chosen_length_or_is_refused(
    app, client, login, post, intro, lotte, julien, make, conference
):
    login(lotte)
    response = post(book_path(intro), form(slot="2027-03-27T17:30", minutes="60"))
    assert response.status_code == 400
    assert "Meetings fit within the conference's hours: 09:00–18:00" in text_of(response)
    assert '<div class="alert" role="alert"><p>Meetings fit' in response.get_data(as_text=True)
    meeting = booked(client, post, intro, slot="2027-03-27T17:00", minutes="60")
    assert (meeting.starts_at, meeting.ends_at) == (at(SAT, 17), at(SAT, 18))


# --- 3. another time must be another time ---------------------------------------------------


def test_the_time_already_proposed_is_refused_and_not_offered(
    app, client, login, post, intro, lotte, julien
):
    login(lotte)
    meeting = booked(client, post, intro, day="2027-03-26", clock="09:00")
    juliens = second_phone(app, julien)
    propose = f"{LIST}/{meeting.id}/propose"
    page = juliens.get(propose).get_data(as_text=True)
    offered = SLOT.findall(page)
    assert offered and "2027-03-26T09:00" not in offered
    same = form(day="2027-03-26", clock="09:00")
    response = post_as(juliens, propose, same, page=propose)
    assert response.status_code == 400
    assert "That's the time already proposed — choose another one." in text_of(response)
    assert only_meeting().sequence == 0 and notes_of(lotte) == []
    longer = form(day="2027-03-26", clock="09:00", minutes="60", note="Longer?", show="1")
    response = post_as(juliens, propose, longer, page=propose)
    assert response.status_code == 200 and "Longer?</textarea>" in response.get_data(as_text=True)
    assert only_meeting().sequence == 0 and "09:00–10:00" in text_of(response)


# --- 4. withdrawing a proposal --------------------------------------------------------------


def test_withdrawing_a_proposal_is_not_cancelling_a_meeting(
    app, client, login, post, intro, lotte, julien
):
    login(lotte)
    meeting = booked(client, post, intro)
    response = post(f"{LIST}/{meeting.id}/cancel", page=LIST, follow_redirects=True)
    assert "Proposal withdrawn." in text_of(response)
    assert "cancel" not in text_of(response).lower()
    assert "You withdrew the proposal" in text_of(response)
    assert notes_of(julien) == [
        "Lotte Bakker proposes to meet: Sat 27 Mar 10:00–10:30 CET, Coffee bar.",
        "Lotte Bakker withdrew the proposal to meet on Sat 27 Mar 10:00–10:30 CET.",
    ]
    assert "Lotte Bakker withdrew the proposal" in text_of(second_phone(app, julien).get(LIST))
    assert only_meeting().status is MeetingStatus.CANCELLED


# --- 5. links back to the connection --------------------------------------------------------


def test_the_meetings_page_links_to_the_connection_while_connected(
    client, login, post, intro, lotte
):
    login(lotte)
    empty = client.get(LIST).get_data(as_text=True)
    assert 'href="/c/medconf/introductions">Introductions</a> page' in empty
    booked(client, post, intro)
    connection = f"/c/medconf/introductions/{intro.id}"
    assert f'With <a href="{connection}"><strong>Julien Moreau' in client.get(LIST).get_data(
        as_text=True
    )
    assert f'href="{connection}">Julien Moreau</a></nav>' in client.get(book_path(intro)).get_data(
        as_text=True
    )
    intro.status = IntroductionStatus.ENDED
    db.session.commit()
    assert f'href="{connection}"' not in client.get(LIST).get_data(as_text=True)


# --- 6. errors next to their fields ---------------------------------------------------------


def test_a_typed_time_error_is_shown_by_the_time_field(client, login, post, intro, lotte):
    login(lotte)
    response = post(book_path(intro), form(clock="08:30"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="clock-error">Meetings fit within the conference', html)
    assert 'role="alert"' not in html.split('<form method="post" class="book"')[1]
    response = post(book_path(intro), form(place="x" * 161))
    assert 'id="place-error">Keep it within 160 characters.' in response.get_data(as_text=True)


# --- 7. the proposals already pending -------------------------------------------------------


def test_the_booking_page_shows_the_pairs_open_proposals(
    app, client, login, post, intro, lotte, julien
):
    login(lotte)
    mine = booked(client, post, intro, day="2027-03-26", clock="10:00")
    page = text_of(client.get(book_path(intro))).replace(" ,", ",")
    assert "You proposed Fri 26 Mar 10:00–10:30 CET, Coffee bar — waiting for Julien Moreau" in page
    juliens = second_phone(app, julien)
    theirs = text_of(juliens.get(book_path(intro))).replace(" ,", ",")
    assert "Lotte Bakker proposed Fri 26 Mar 10:00–10:30 CET, Coffee bar." in theirs
    html = juliens.get(book_path(intro)).get_data(as_text=True)
    assert f'action="{LIST}/{mine.id}/accept"' in html
    assert f'href="{LIST}/{mine.id}/propose">Another time</a>' in html
    assert f'action="{LIST}/{mine.id}/decline"' in html
    post_as(juliens, f"{LIST}/{mine.id}/decline")
    assert "Already proposed" not in text_of(client.get(book_path(intro)))


# --- 8. the people pages' navigation --------------------------------------------------------


def test_the_meetings_page_has_the_people_navigation(client, login, lotte, conference):
    login(lotte)
    html = client.get(LIST).get_data(as_text=True)
    assert 'aria-label="People pages"' in html and "css/schedule." in html
    assert 'href="/c/medconf/meetings" aria-current="page">Meetings</a>' in html
    assert 'href="/c/medconf/people/suggestions">Suggestions</a>' in html
