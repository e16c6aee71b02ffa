"""The calendar page /account/calendar and the links to it, through HTTP."""

import re
from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import select

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import services
from confnet.models import CalendarFeed
from confnet.security import CSP

SECRET = "test-secret-key"
PAGE = "/account/calendar"


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def attendee(make, conference, login):
    user = make.user()
    make.member(user, conference)
    login(user)
    return user


def feed_url(html: str) -> str:
    match = re.search(r'id="feed-url" type="url" readonly value="([^"]+)"', html)
    assert match, "no feed address on the page"
    return match.group(1)


def test_the_page_needs_a_login(client, post):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/log-in" in response.headers["Location"]
    response = post(PAGE, page="/log-in")  # a valid form, but nobody logged in
    assert response.status_code == 302 and "/log-in" in response.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(CalendarFeed)) == 0


def test_turning_the_feed_on_shows_every_way_to_subscribe(client, post, attendee, conference):
    page = client.get(PAGE).get_data(as_text=True)
    assert "Create my calendar feed" in page and 'id="feed-url"' not in page
    assert post(PAGE, page=PAGE).status_code == 302
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    url = feed_url(html)
    assert re.fullmatch(r"http://confnet\.test/feeds/[A-Za-z0-9_-]{43}\.ics", url)
    webcal = url.replace("http://", "webcal://")
    assert f'href="{webcal}"' in html  # Apple Calendar, Thunderbird
    google = "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")
    assert f'href="{google}"' in html
    outlook = "https://outlook.live.com/calendar/0/addfromweb?url=" + quote(url, safe="")
    assert f'href="{outlook}&amp;name=' in html
    assert "refreshes subscribed calendars only every several hours" in html
    assert '<svg role="img"' in html and "QR code of your calendar feed address" in html
    assert 'data-copy="feed-url"' in html and "js/feeds." in html
    assert "/c/medconf/schedule.ics" in html  # the whole programme, separately
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == CSP
    assert "style=" not in html and "<script>" not in html
    assert len(response.data) < 60_000
    assert client.get(url.replace("http://confnet.test", "")).status_code == 200


def test_turning_on_twice_keeps_one_feed_and_one_url(client, post, attendee):
    post(PAGE, page=PAGE)
    first = feed_url(client.get(PAGE).get_data(as_text=True))
    post(PAGE, page=PAGE)
    assert feed_url(client.get(PAGE).get_data(as_text=True)) == first
    assert db.session.scalar(select(db.func.count()).select_from(CalendarFeed)) == 1


def test_a_new_address_stops_the_old_one(client, post, attendee):
    post(PAGE, page=PAGE)
    old = feed_url(client.get(PAGE).get_data(as_text=True)).replace("http://confnet.test", "")
    response = post(f"{PAGE}/regenerate", page=PAGE, follow_redirects=True)
    assert "the old one has stopped working" in response.get_data(as_text=True)
    new = feed_url(response.get_data(as_text=True)).replace("http://confnet.test", "")
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_reminders_are_saved_and_bad_values_refused(client, post, attendee):
    post(PAGE, page=PAGE)
    response = post(f"{PAGE}/reminders", {"minutes": "30"}, page=PAGE, follow_redirects=True)
    assert "Reminders 30 minutes before each session." in response.get_data(as_text=True)
    assert services.feed_of(attendee).reminder_minutes == 30
    assert '<option selected value="30">' in response.get_data(as_text=True)
    for bad in ("7", "abc", "-5", "1" * 50):
        response = post(f"{PAGE}/reminders", {"minutes": bad}, page=PAGE, follow_redirects=True)
        assert response.status_code == 200
        assert "Choose one of the reminder times offered." in response.get_data(as_text=True)
    db.session.expire_all()
    assert services.feed_of(attendee).reminder_minutes == 30
    post(f"{PAGE}/reminders", {"minutes": ""}, page=PAGE)
    db.session.expire_all()
    assert services.feed_of(attendee).reminder_minutes is None


def test_turning_off_kills_the_url(client, post, attendee):
    post(PAGE, page=PAGE)
    url = feed_url(client.get(PAGE).get_data(as_text=True)).replace("http://confnet.test", "")
    response = post(f"{PAGE}/turn-off", page=PAGE, follow_redirects=True)
    assert "Create my calendar feed" in response.get_data(as_text=True)
    assert client.get(url).status_code == 404


def test_actions_need_a_csrf_token(client, attendee):
    client.get(PAGE)
    for action in ("", "/regenerate", "/reminders", "/turn-off"):
        assert client.post(f"{PAGE}{action}").status_code == 400


def test_a_changed_site_secret_asks_for_a_new_address(client, post, attendee, app, monkeypatch):
    feed = services.turn_on_feed(attendee, secret="the old secret", now=utcnow())
    html = client.get(PAGE).get_data(as_text=True)
    assert "Your feed needs a new address" in html and 'id="feed-url"' not in html
    post(f"{PAGE}/regenerate", page=PAGE)
    db.session.refresh(feed)
    assert services.token_of(feed, SECRET) is not None
    monkeypatch.setitem(app.config, "CALENDAR_FEED_SECRET", "a dedicated secret")
    assert "Your feed needs a new address" in client.get(PAGE).get_data(as_text=True)


def test_other_pages_link_to_the_calendar(client, make, conference, attendee):
    item = make.item(conference, starts_at=datetime(2027, 3, 26, 9, tzinfo=UTC))
    make.publish(conference)
    assert 'href="/account/calendar"' in client.get("/account/profile").get_data(as_text=True)
    show = client.get("/c/medconf/").get_data(as_text=True)
    assert "My calendar feed" in show and 'href="/c/medconf/schedule.ics"' in show
    session = client.get(f"/c/medconf/sessions/{item.id}").get_data(as_text=True)
    assert f'href="/c/medconf/sessions/{item.id}.ics">Add to calendar' in session
