"""Attendee schedule pages through HTTP: what people see, what they may do, and bad input."""

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import ItemKind, ItemLink, Role, Speaker, Star
from confnet.releases.services import publish_schedule

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET in Amsterdam
SAT_9 = datetime(2027, 3, 27, 8, 0, tzinfo=UTC)  # 09:00 CET
SUN_9 = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 09:00 CEST: the clocks went forward at 02:00


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def talk(make, conference):
    room = make.room(conference, "Maas Room", capacity=160)
    track = make.track(conference, "Cardiology")
    item = make.item(
        conference,
        title="Heart failure in 2027",
        room=room,
        track=track,
        starts_at=FRI_9,
        tags="heart failure,imaging",
        abstract="First paragraph <script>alert(1)</script>.\n\nSecond paragraph.",
        speakers=[Speaker(conference_id=conference.id, name="Dr. Ada Byron")],
    )
    publish_schedule(conference, by=None)
    return item


@pytest.fixture
def member(make, conference, login):
    user = make.user()
    make.member(user, conference)
    login(user)
    return user


def text_of(response) -> str:
    """The page's visible text, squeezed (enough to check what a reader would see)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def stars() -> int:
    return db.session.scalar(select(func.count()).select_from(Star))


# --- the programme by day -------------------------------------------------------------------


def test_the_schedule_lists_published_sessions_by_slot_in_local_time(
    client, make, conference, talk
):
    make.item(conference, title="Unpublished idea", starts_at=FRI_9)
    response = client.get("/c/medconf/schedule")
    assert response.status_code == 200
    page = text_of(response)
    assert "Friday 26 March" in page
    assert "09:00 CET" in page
    assert "Heart failure in 2027" in page and "Dr. Ada Byron" in page and "Maas Room" in page
    assert "Unpublished idea" not in page
    html = response.get_data(as_text=True)
    assert f'href="/c/medconf/sessions/{talk.id}"' in html
    assert 'fill="#aa3344"' in html  # the track's colour
    assert 'aria-current="page">Fri 26 Mar' in html


def test_day_tabs_switch_days_and_bad_days_fall_back_to_the_first(client, make, conference, talk):
    make.item(conference, title="Saturday talk", starts_at=SAT_9)
    publish_schedule(conference, by=None)
    saturday = text_of(client.get("/c/medconf/schedule?day=2027-03-27"))
    assert "Saturday talk" in saturday and "Heart failure in 2027" not in saturday
    for bad in ["2027-13-45", "tomorrow", "2031-01-01", "%00", "1" * 5000]:
        response = client.get("/c/medconf/schedule", query_string={"day": bad})
        assert response.status_code == 200
        assert "Heart failure in 2027" in text_of(response)


def test_today_is_shown_with_now_and_next_while_the_conference_runs(
    client, make, conference, talk, monkeypatch
):
    make.item(conference, title="Coffee", kind=ItemKind.BREAK, starts_at=FRI_9 + timedelta(hours=1))
    make.item(conference, title="Saturday keynote", starts_at=SAT_9)
    publish_schedule(conference, by=None)
    monkeypatch.setattr(
        "confnet.schedule.views.utcnow", lambda: datetime(2027, 3, 27, 7, 30, tzinfo=UTC)
    )
    page = text_of(client.get("/c/medconf/schedule"))
    assert "Saturday 27 March" in page  # today, not the first day
    assert "Happening now Nothing is running right now." in page
    assert "Next, at 09:00 CET Saturday keynote" in page

    monkeypatch.setattr("confnet.schedule.views.utcnow", lambda: FRI_9 + timedelta(minutes=10))
    page = text_of(client.get("/c/medconf/schedule"))
    assert "Happening now Heart failure in 2027" in page
    assert "Next, at 10:00 CET Coffee" in page


def test_no_now_and_next_before_the_conference(client, conference, talk):
    assert "Happening now" not in text_of(client.get("/c/medconf/schedule"))


def test_cancelled_sessions_stay_listed_and_say_so(client, conference, talk):
    talk.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)
    response = client.get("/c/medconf/schedule")
    assert "Heart failure in 2027 " in text_of(response)
    assert '<li class="x">' in response.get_data(as_text=True)
    assert "Cancelled" in text_of(response)


def test_changes_in_the_latest_release_are_badged(client, make, conference, talk):
    assert 'class="b b-n"' not in client.get("/c/medconf/schedule").get_data(as_text=True)
    other = make.room(conference, "Rotte Room")
    moved = make.item(conference, title="Moved talk", starts_at=FRI_9 + timedelta(hours=2))
    publish_schedule(conference, by=None)
    assert "Moved talk 11:00–11:45 · Talk new" in text_of(client.get("/c/medconf/schedule"))

    talk.room = other
    moved.starts_at += timedelta(minutes=30)
    moved.ends_at += timedelta(minutes=30)
    make.item(conference, title="Late addition", starts_at=FRI_9 + timedelta(hours=4))
    db.session.flush()
    publish_schedule(conference, by=None)
    page = text_of(client.get("/c/medconf/schedule"))
    assert (
        "Heart failure in 2027 09:00–09:45 · Talk · Rotte Room · Cardiology Dr. Ada Byron "
        "room changed" in page
    )
    assert "Moved talk 11:30–12:15 · Talk moved" in page
    assert "Late addition 13:00–13:45 · Talk new" in page


def test_filters_and_search(client, make, conference, talk):
    lab = make.room(conference, "Skills Lab")
    make.item(
        conference,
        title="Suturing workshop",
        kind=ItemKind.WORKSHOP,
        room=lab,
        starts_at=FRI_9,
        tags="skills",
    )
    publish_schedule(conference, by=None)
    track = talk.track_id

    def page(**args):
        response = client.get("/c/medconf/schedule", query_string=args)
        assert response.status_code == 200
        return text_of(response)

    assert "Suturing workshop" not in page(track=track)
    assert "Heart failure in 2027" in page(track=track)
    assert "Heart failure in 2027" not in page(kind="workshop")
    assert "Heart failure in 2027" not in page(room=lab.id)
    assert "Suturing workshop" not in page(tag="imaging")
    result = page(q="ADA BYRON")
    assert "Heart failure in 2027" in result and "Suturing workshop" not in result
    assert "1 session matches “ADA BYRON”" in result
    nothing = page(q="dermatology")
    assert "No sessions on Fri 26 Mar match “dermatology”." in nothing
    assert "Clear the search and filters" in nothing


def test_searches_point_to_matches_on_other_days(client, make, conference, talk):
    make.item(conference, title="Sunday sepsis update", starts_at=SUN_9)
    publish_schedule(conference, by=None)
    page = text_of(client.get("/c/medconf/schedule?q=sepsis"))
    assert "Matches on other days: Sun 28 Mar (1)" in page
    assert 'href="/c/medconf/schedule?day=2027-03-28&amp;q=sepsis"' in client.get(
        "/c/medconf/schedule?q=sepsis"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    "args",
    [
        {"track": "abc"},
        {"track": "999999"},
        {"room": "-1"},
        {"kind": "lecture"},
        {"tag": "no such tag"},
        {"track": "1" * 400},
        {"q": "x" * 100_000},
        {"q": "%_\\'\"<>;--"},
        {"tz": "Mars/Base"},
        {"tz": "x" * 5000},
        {"day": "2027-03-26", "track": ["1", "2"]},
    ],
)
def test_bad_filter_values_never_break_the_page(client, conference, talk, args):
    response = client.get("/c/medconf/schedule", query_string=args)
    assert response.status_code == 200
    page = text_of(response)
    if "q" not in args and "day" not in args:
        assert "Heart failure in 2027" in page  # ignored, not applied
        assert "we know" in page or "didn't recognise" in page


def test_unknown_things_are_404(client, make, conference, talk):
    draft = make.item(conference, title="Secret draft", starts_at=FRI_9)
    other = make.conference("other-conf")
    theirs = make.item(other, starts_at=FRI_9)
    publish_schedule(other, by=None)
    for path in [
        "/c/nope/schedule",
        "/c/nope/changes",
        f"/c/medconf/sessions/{draft.id}",
        f"/c/medconf/sessions/{theirs.id}",
        "/c/medconf/sessions/0",
        "/c/medconf/sessions/99999999999999999999",
        "/c/medconf/sessions/abc",
        "/c/medconf/sessions/-1",
    ]:
        assert client.get(path).status_code == 404, path


def test_empty_states(client, make, conference):
    assert "hasn't been published yet" in text_of(client.get("/c/medconf/schedule"))
    make.item(conference, title="Only on Sunday", starts_at=SUN_9)
    publish_schedule(conference, by=None)
    page = text_of(client.get("/c/medconf/schedule"))
    assert "Nothing is scheduled on Fri 26 Mar. Sessions on other days: Sun 28 Mar (1)" in page


# --- times and timezones ------------------------------------------------------------------


def test_nine_oclock_stays_nine_oclock_across_the_dst_switch(client, make, conference):
    make.item(conference, title="Saturday morning", starts_at=SAT_9)
    make.item(conference, title="Sunday morning", starts_at=SUN_9)
    publish_schedule(conference, by=None)
    saturday = text_of(client.get("/c/medconf/schedule?day=2027-03-27"))
    sunday = text_of(client.get("/c/medconf/schedule?day=2027-03-28"))
    assert "09:00 CET Saturday morning 09:00–09:45" in saturday
    assert "09:00 CEST Sunday morning 09:00–09:45" in sunday


def test_times_can_be_shown_in_another_timezone(client, make, conference):
    saturday = make.item(conference, title="Saturday morning", starts_at=SAT_9)
    make.item(conference, title="Sunday morning", starts_at=SUN_9)
    publish_schedule(conference, by=None)
    url = "/c/medconf/schedule?day=2027-03-{}&tz=America/New_York"
    # New York is on summer time (EDT, UTC-4) since 14 March; Amsterdam switches on the 28th.
    sat = text_of(client.get(url.format(27)))
    sun = text_of(client.get(url.format(28)))
    assert "04:00 EDT (09:00 CET at the venue) Saturday morning 04:00–04:45" in sat
    assert "03:00 EDT (09:00 CEST at the venue) Sunday morning 03:00–03:45" in sun
    html = client.get(url.format(27)).get_data(as_text=True)
    assert "times in America/New York ( conference time ) · Change timezone" in text_of(
        client.get(url.format(27))
    )
    assert f'href="/c/medconf/sessions/{saturday.id}?tz=America/New_York"' in html

    tokyo = text_of(client.get("/c/medconf/schedule?day=2027-03-27&tz=Asia/Tokyo"))
    assert "17:00 JST (09:00 CET at the venue)" in tokyo
    session = text_of(client.get(f"/c/medconf/sessions/{saturday.id}?tz=America/New_York"))
    assert "Sat 27 Mar, 09:00–09:45 CET" in session
    assert "Sat 27 Mar, 04:00–04:45 EDT in America/New York" in session


def test_the_timezone_picker_keeps_the_day_and_filters(client, conference, talk):
    response = client.get(
        "/c/medconf/schedule/timezone?day=2027-03-27&q=heart&tz=America/New_York&x=1"
    )
    html = response.get_data(as_text=True)
    assert '<form method="get" action="/c/medconf/schedule">' in html
    assert '<input type="hidden" name="day" value="2027-03-27">' in html
    assert '<input type="hidden" name="q" value="heart">' in html
    assert 'name="x"' not in html
    assert "<option selected>America/New_York</option>" in html
    assert '<label for="tz">Timezone</label>' in html
    picker = client.get("/c/medconf/schedule/timezone?tz=" + "y" * 3000 + "&q=" + "z" * 3000)
    assert picker.status_code == 200 and "z" * 101 not in picker.get_data(as_text=True)
    assert client.get("/c/nope/schedule/timezone").status_code == 404


def test_an_unknown_timezone_is_ignored_with_a_note(client, conference, talk):
    page = text_of(client.get("/c/medconf/schedule?tz=Mars/Olympus"))
    assert "“Mars/Olympus” isn't a timezone we know" in page
    assert "09:00 CET" in page
    page = text_of(client.get(f"/c/medconf/sessions/{talk.id}?tz=Nowhere"))
    assert "isn't a timezone we know" in page and "09:00–09:45 CET" in page


# --- the session page ---------------------------------------------------------------------


def test_the_session_page_shows_everything_about_a_session(client, make, conference, talk):
    db.session.add_all(
        [
            ItemLink(item_id=talk.id, label="Slides", url="https://example.org/slides.pdf"),
            ItemLink(item_id=talk.id, label="Trap", url="javascript:alert(1)", position=1),
        ]
    )
    talk.speakers.append(
        Speaker(conference_id=conference.id, name="Bo Chen", user_id=make.user().id)
    )
    talk.title = "Heart failure in 2027: what's new"
    db.session.flush()
    publish_schedule(conference, by=None)
    response = client.get(f"/c/medconf/sessions/{talk.id}")
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "<h1" in html and "Heart failure in 2027: what&#39;s new</h1>" in html
    assert "Fri 26 Mar, 09:00–09:45 CET" in page
    assert "Maas Room (160 seats)" in page
    assert "Cardiology" in page
    assert "Speakers Dr. Ada Byron Bo Chen on confnet About this session" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert html.count('<div class="abstract"><p>') == 1 and "<p>Second paragraph.</p>" in html
    assert "/c/medconf/schedule?day=2027-03-26&amp;tag=heart+failure" in html
    assert '<a href="https://example.org/slides.pdf" rel="noopener noreferrer"' in html
    assert 'href="javascript' not in html and "Trap: javascript:alert(1)" in page
    assert "Release 2" in page and "renamed (was “Heart failure in 2027”)" in page
    assert "Release 1" in page and "added to the programme" in page


def test_workshops_show_their_sign_up_places(client, make, conference):
    workshop = make.item(
        conference,
        title="Ultrasound basics",
        kind=ItemKind.WORKSHOP,
        starts_at=FRI_9,
        capacity=24,
        signup_required=True,
    )
    publish_schedule(conference, by=None)
    assert "Sign-up required, 24 places" in text_of(
        client.get(f"/c/medconf/sessions/{workshop.id}")
    )


def test_a_draft_edit_never_shows_on_the_session_page(client, conference, talk):
    talk.title = "Draft title"
    talk.abstract = "Draft abstract"
    db.session.flush()
    page = text_of(client.get(f"/c/medconf/sessions/{talk.id}"))
    assert "Heart failure in 2027" in page and "Draft" not in page


def test_a_session_page_seen_before_shows_each_change_as_it_lands(client, make, conference, talk):
    """Its shared parts are kept rendered between requests (per version of the programme)."""
    url = f"/c/medconf/sessions/{talk.id}"
    assert "Links" not in text_of(client.get(url))
    db.session.add(ItemLink(item_id=talk.id, label="Slides", url="https://example.org/s.pdf"))
    speaker = Speaker(conference_id=conference.id, name="Bo Chen")
    talk.speakers.append(speaker)
    db.session.commit()  # live: links show at once, speakers only once published
    page = text_of(client.get(url))
    assert "Links Slides" in page and "Bo Chen" not in page

    publish_schedule(conference, by=None)
    db.session.commit()
    assert "Speakers Bo Chen Dr. Ada Byron About" in text_of(client.get(url))
    speaker.user_id = make.user().id  # the speaker gets an account
    db.session.commit()
    assert "Bo Chen on confnet" in text_of(client.get(url))
    talk.title = "Renamed"
    db.session.commit()
    assert "Renamed" not in text_of(client.get(url))  # a draft edit
    publish_schedule(conference, by=None)
    db.session.commit()
    page = text_of(client.get(url))
    assert "Renamed" in page and "renamed (was “Heart failure in 2027”)" in page
    in_tokyo = text_of(client.get(f"{url}?tz=Asia/Tokyo"))
    assert "Fri 26 Mar, 17:00–17:45 JST in Asia/Tokyo" in in_tokyo
    assert "JST" not in text_of(client.get(url))


# --- stars ----------------------------------------------------------------------------------


def test_a_member_stars_and_unstars_without_javascript(client, post, conference, talk, member):
    page = f"/c/medconf/sessions/{talk.id}"
    html = client.get(page).get_data(as_text=True)
    assert f'formaction="/c/medconf/sessions/{talk.id}/star"' in html
    assert f'aria-pressed="false" aria-describedby="s{talk.id}">Star</button>' in html

    response = post(f"{page}/star", {"next": "/c/medconf/schedule?day=2027-03-26"}, page=page)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/medconf/schedule?day=2027-03-26#s{talk.id}"
    assert stars() == 1
    html = client.get(page).get_data(as_text=True)
    assert f'/unstar" aria-pressed="true" aria-describedby="s{talk.id}">Starred' in html
    assert "In 1 agenda." in html

    response = post(f"{page}/unstar", page=page)
    assert response.headers["Location"] == page
    assert stars() == 0


def test_stars_answer_json_for_javascript(client, post, make, conference, talk, member):
    fan = make.user()
    db.session.add(Star(user_id=fan.id, item_id=talk.id))
    page = f"/c/medconf/sessions/{talk.id}"
    json = {"Accept": "application/json"}
    response = post(f"{page}/star", page=page, headers=json)
    assert response.status_code == 200
    assert response.get_json() == {"starred": True, "count": 2}
    response = post(f"{page}/star", page=page, headers=json)  # a double tap
    assert response.get_json() == {"starred": True, "count": 2}
    assert stars() == 2
    response = post(f"{page}/unstar", page=page, headers=json)
    assert response.get_json() == {"starred": False, "count": 1}


def test_an_unsafe_next_is_ignored(client, post, conference, talk, member):
    page = f"/c/medconf/sessions/{talk.id}"
    for target in ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]:
        response = post(f"{page}/star", {"next": target}, page=page)
        assert response.headers["Location"] == page


def test_starring_needs_a_member_a_csrf_token_and_a_published_session(
    client, post, make, conference, talk, login
):
    page = f"/c/medconf/sessions/{talk.id}"
    anonymous = client.post(f"{page}/star", data={"csrf_token": csrf(client)})
    assert anonymous.status_code == 302 and "/log-in" in anonymous.headers["Location"]

    outsider = make.user()
    login(outsider)
    token = csrf(client, "/c/medconf/")
    assert client.post(f"{page}/star", data={"csrf_token": token}).status_code == 403
    assert client.post(f"{page}/unstar", data={"csrf_token": token}).status_code == 403
    json = client.post(
        f"{page}/star", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert json.status_code == 403 and json.is_json

    make.member(outsider, conference)
    draft = make.item(conference, starts_at=FRI_9)
    assert client.post(f"{page}/star").status_code == 400  # no CSRF token
    assert client.post(f"{page}/star", data={"csrf_token": "forged"}).status_code == 400
    for path in [
        f"/c/medconf/sessions/{draft.id}",
        "/c/medconf/sessions/424242",
        "/c/nope/sessions/1",
    ]:
        assert client.post(f"{path}/star", data={"csrf_token": token}).status_code == 404
    assert client.get(f"{page}/star").status_code == 405
    assert stars() == 0


def test_a_cancelled_session_cannot_be_starred_but_can_be_unstarred(
    client, post, conference, talk, member
):
    db.session.add(Star(user_id=member.id, item_id=talk.id))
    talk.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)
    page = f"/c/medconf/sessions/{talk.id}"
    html = client.get(page).get_data(as_text=True)
    assert "This session is cancelled" in html and '/unstar" aria-pressed="true"' in html

    refused = post(f"{page}/star", page=page, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.get_json()["message"] == (
        "“Heart failure in 2027” is cancelled, so it can't go in your agenda."
    )
    refused = post(f"{page}/star", page=page)
    assert refused.status_code == 400 and "is cancelled" in text_of(refused)
    assert stars() == 1  # the earlier star stays
    post(f"{page}/unstar", page=page)
    assert stars() == 0
    assert "aria-pressed" not in client.get(page).get_data(as_text=True)


def test_simultaneous_stars_make_exactly_one(app, make, conference, talk):
    user = make.user()
    make.member(user, conference)
    db.session.commit()
    page = f"/c/medconf/sessions/{talk.id}"
    clients = []
    for _ in range(5):
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, page)))
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def star(client, token):
        with app.app_context():
            start.wait()
            statuses.append(client.post(f"{page}/star", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=star, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(clients)
    db.session.expire_all()
    assert stars() == 1


# --- my agenda, my sessions, what changed --------------------------------------------------


def test_my_agenda_lists_starred_sessions_with_clashes(
    client, post, make, conference, talk, member
):
    clash = make.item(
        conference, title="Overlapping panel", starts_at=FRI_9 + timedelta(minutes=30)
    )
    dropped = make.item(conference, title="Dropped talk", starts_at=SUN_9)
    make.item(conference, title="Not for me", starts_at=SAT_9)
    publish_schedule(conference, by=None)
    for item in (talk, clash, dropped):
        db.session.add(Star(user_id=member.id, item_id=item.id))
    dropped.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None)

    response = client.get("/c/medconf/agenda")
    assert response.status_code == 200
    page = text_of(response)
    assert "3 starred sessions, 2 of them clash" in page
    assert "Friday 26 March" in page and "Sunday 28 March" in page
    assert "Clashes with Overlapping panel (09:30–10:15)" in page
    assert "Clashes with Heart failure in 2027 (09:00–09:45)" in page
    assert "Dropped talk 09:00–09:45 · Talk Cancelled" in page
    assert "Not for me" not in page
    html = response.get_data(as_text=True)
    assert f'formaction="/c/medconf/sessions/{talk.id}/unstar"' in html
    assert 'name="next" value="/c/medconf/agenda"' in html


def test_agenda_rows_seen_before_follow_the_programme_and_each_viewer(
    client, post, make, conference, talk, member, login
):
    """A session's row is kept rendered and shared by every agenda it is in; the clashes
    inside it are each viewer's own."""
    panel = make.item(conference, title="Overlapping panel", starts_at=FRI_9)
    publish_schedule(conference, by=None)
    other = make.user()
    make.member(other, conference)
    for user, items in ((member, [talk]), (other, [talk, panel])):
        db.session.add_all(Star(user_id=user.id, item_id=item.id) for item in items)
    db.session.commit()
    assert "Clashes" not in text_of(client.get("/c/medconf/agenda"))

    talk.room.name = "Rhine Hall"  # live: rooms show at once
    db.session.commit()
    assert "Talk · Rhine Hall · Cardiology" in text_of(client.get("/c/medconf/agenda"))
    talk.title = "Renamed talk"
    db.session.commit()
    assert "Renamed talk" not in text_of(client.get("/c/medconf/agenda"))  # a draft edit
    publish_schedule(conference, by=None)
    db.session.commit()
    mine = text_of(client.get("/c/medconf/agenda"))
    assert "Renamed talk 09:00–09:45" in mine and "Clashes" not in mine

    post("/log-out", page="/c/medconf/agenda")
    login(other)
    theirs = text_of(client.get("/c/medconf/agenda"))
    assert "Renamed talk 09:00–09:45 · Talk · Rhine Hall" in theirs
    assert "Clashes with Overlapping panel (09:00–09:45)" in theirs


def test_an_empty_agenda_points_to_the_programme(client, conference, talk, member):
    response = client.get("/c/medconf/agenda")
    assert "Your agenda is empty." in text_of(response)
    assert 'href="/c/medconf/schedule"' in response.get_data(as_text=True)


def test_the_agenda_is_for_members(client, make, conference, login):
    assert client.get("/c/medconf/agenda").status_code == 302  # to log in
    login(make.user())
    assert client.get("/c/medconf/agenda").status_code == 403
    assert client.get("/c/nope/agenda").status_code == 404


def test_speakers_see_their_own_sessions(client, make, conference, talk, login):
    speaker = make.user()
    make.member(speaker, conference, Role.SPEAKER)
    mine = make.item(
        conference,
        title="My own talk",
        starts_at=SAT_9,
        speakers=[Speaker(conference_id=conference.id, name="Me", user_id=speaker.id)],
    )
    publish_schedule(conference, by=None)
    login(speaker)
    response = client.get("/c/medconf/my-sessions")
    page = text_of(response)
    assert "You speak in 1 published session." in page and "My own talk" in page
    assert "Heart failure in 2027" not in page
    assert f'href="/c/medconf/sessions/{mine.id}"' in response.get_data(as_text=True)
    assert "My sessions" in text_of(client.get("/c/medconf/schedule"))  # in the page links


def test_people_who_speak_in_nothing_get_a_friendly_page(client, make, conference, talk, login):
    assert client.get("/c/medconf/my-sessions").status_code == 302
    login(make.user())
    response = client.get("/c/medconf/my-sessions")
    assert response.status_code == 200
    assert "You're not on the published programme of MedConf 2027." in text_of(response)


def test_what_changed_lists_releases_newest_first(client, make, conference, talk):
    other = make.room(conference, "Rotte Room")
    extra = make.item(conference, title="Extra talk", starts_at=SAT_9)
    make.item(conference, title="Detail talk", starts_at=SUN_9)
    publish_schedule(conference, by=None)
    talk.starts_at += timedelta(hours=1)
    talk.ends_at += timedelta(hours=1)
    talk.room = other
    extra.cancelled = True
    db.session.flush()
    publish_schedule(conference, by=None, note="Rooms reshuffled after the fire drill.")
    response = client.get("/c/medconf/changes")
    page = text_of(response)
    assert page.index("Release 2") < page.index("Release 1")
    assert "Rooms reshuffled after the fire drill." in page
    assert (
        "Moved Heart failure in 2027 Cancelled" not in page
        and "Moved Heart failure in 2027 Fri 26 Mar 09:00–09:45 → Fri 26 Mar 10:00–10:45" in page
    )
    assert "Room changed Heart failure in 2027 Maas Room → Rotte Room" in page
    assert "Cancelled Extra talk Cancelled" in page
    assert "Added Heart failure in 2027" in page
    assert f'href="/c/medconf/sessions/{talk.id}"' in response.get_data(as_text=True)


def test_what_changed_before_anything_is_published(client, conference):
    assert "the programme hasn't been published" in text_of(client.get("/c/medconf/changes"))


def test_visitors_see_how_to_get_stars_instead_of_buttons(client, make, conference, talk, login):
    anonymous = client.get("/c/medconf/schedule")
    assert "Log in and join the conference to star sessions" in text_of(anonymous)
    assert "aria-pressed" not in anonymous.get_data(as_text=True)
    login(make.user())
    outsider = client.get("/c/medconf/schedule")
    assert "Join MedConf 2027 to star sessions and keep your own agenda." in text_of(outsider)
    assert "aria-pressed" not in outsider.get_data(as_text=True)
    assert "My agenda" not in text_of(outsider)
