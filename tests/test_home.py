"""The start page."""

from datetime import UTC, date, datetime, timedelta

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import Role


def test_anonymous_visitors_get_a_welcome_with_open_conferences(client, make):
    make.conference(name="Future Conf", starts_on=date.today() + timedelta(days=30))
    make.conference(name="Past Conf", starts_on=date(2001, 1, 1))
    html = client.get("/").get_data(as_text=True)
    assert "Create an account" in html and "Future Conf" in html and "Past Conf" not in html


def test_home_lists_my_conferences_and_what_is_next(client, make, login):
    user = make.user(name="Amara Okafor")
    soon = make.conference(name="Soon Conf", starts_on=utcnow().date(), tz="Asia/Tokyo")
    make.member(user, soon, Role.SPEAKER)
    start = (utcnow() + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    make.item(soon, title="Morning rounds", starts_at=start)
    make.item(soon, title="Already over", starts_at=start - timedelta(days=1))
    make.publish(soon)
    make.item(soon, title="Unpublished draft", starts_at=start)
    make.conference(name="Joinable Conf", starts_on=utcnow().date() + timedelta(days=10))
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert "Hello, Amara" in html
    assert "Morning rounds" in html and "Already over" not in html
    assert "Unpublished draft" not in html
    tokyo = start.astimezone(soon.tz).strftime("%H:%M")
    assert tokyo in html
    assert "Soon Conf" in html and "speaker" in html
    assert "Conferences you can join" in html and "Joinable Conf" in html


def test_home_shows_past_conferences_separately(client, make, login):
    user = make.user()
    make.member(user, make.conference(name="Old Conf", starts_on=date(2020, 1, 1)))
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert "Past conferences" in html and "Old Conf" in html
    assert "haven&#39;t joined" not in html or "Join a conference" in html


def test_item_times_are_local_to_the_conference_on_both_sides_of_dst(client, make):
    conference = make.conference("dst", tz="Europe/Amsterdam", starts_on=date(2099, 3, 27), days=3)
    # 2099-03-29 is the last Sunday of March: clocks go from 02:00 CET to 03:00 CEST.
    make.item(conference, title="Saturday", starts_at=datetime(2099, 3, 28, 8, 0, tzinfo=UTC))
    make.item(conference, title="Sunday", starts_at=datetime(2099, 3, 29, 7, 0, tzinfo=UTC))
    make.publish(conference)
    html = client.get("/c/dst/").get_data(as_text=True)
    assert html.count("09:00–09:45") == 2


def test_next_for_you_prefers_the_starred_sessions(client, make, login):
    from confnet.models import Star

    user = make.user()
    conference = make.conference(starts_on=utcnow().date())
    make.member(user, conference)
    start = (utcnow() + timedelta(hours=2)).replace(second=0, microsecond=0)
    make.item(conference, title="Popular plenary", starts_at=start)
    mine = make.item(conference, title="My workshop", starts_at=start + timedelta(hours=1))
    make.publish(conference)
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert "Popular plenary" in html and "Star sessions to make this your own" in html
    db.session.add(Star(user_id=user.id, item_id=mine.id))
    html = client.get("/").get_data(as_text=True)
    assert "My workshop" in html and "Popular plenary" not in html
    assert "From your agenda." in html


def test_unread_notifications_show_on_the_start_page(client, make, login):
    from confnet.models import Notification

    user = make.user()
    db.session.add(
        Notification(
            user_id=user.id, text="Good news: you have a seat in “Airway”.", url="/c/x/sessions/1"
        )
    )
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert "New for you" in html and "you have a seat in “Airway”" in html
    client.post(
        "/notifications", data={"csrf_token": __import__("helpers").csrf(client, "/notifications")}
    )
    assert "New for you" not in client.get("/").get_data(as_text=True)
