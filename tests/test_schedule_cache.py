"""The programme page is served from a per-process cache, yet nobody ever sees it stale: every
change shows on the next request, in every worker, and each viewer sees their own stars."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import Factories
from helpers import app_config, csrf

from confnet import create_app
from confnet.extensions import db
from confnet.models import Star
from confnet.programme.venues import RoomInput, update_room
from confnet.releases.services import publish_schedule
from confnet.schedule.fragments import Fragment, FragmentCache

FRI_9 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 CET in Amsterdam
PAGE = "/c/medconf/schedule?day=2027-03-26"


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def room(make, conference):
    return make.room(conference, "Maas Room", capacity=160)


@pytest.fixture
def talk(make, conference, room):
    item = make.item(conference, title="Heart failure in 2027", room=room, starts_at=FRI_9)
    publish_schedule(conference, by=None)
    return item


@pytest.fixture
def other_worker(database_uri):
    """A second app on the same database, as another gunicorn worker is: its own cache."""
    app = create_app(app_config(database_uri))
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def seen(client, path: str = PAGE) -> str:
    db.session.commit()  # what the test changed is there for every worker
    response = client.get(path)
    assert response.status_code == 200
    return text_of(response)


def log_in(client, user) -> None:
    data = {"email": user.email, "password": Factories.PASSWORD, "csrf_token": csrf(client)}
    assert client.post("/log-in", data=data).status_code == 302


def test_a_new_release_shows_at_once_in_every_worker(client, other_worker, conference, talk):
    assert "Heart failure in 2027" in seen(client)
    assert "Heart failure in 2027" in seen(other_worker)
    talk.title = "Heart failure in 2028"
    publish_schedule(conference, by=None)
    for worker in (client, other_worker):
        page = seen(worker)
        assert "Heart failure in 2028" in page and "Heart failure in 2027" not in page
        assert "renamed" in page  # the badge of the latest release


def test_a_draft_edit_does_not_change_the_page_until_it_is_published(client, conference, talk):
    seen(client)
    talk.title = "Not yet"
    db.session.flush()
    assert "Heart failure in 2027" in seen(client) and "Not yet" not in seen(client)


def test_renamed_rooms_and_recoloured_tracks_show_without_a_release(
    client, other_worker, make, conference, room, talk
):
    track = make.track(conference, "Cardiology")
    talk.track_id = track.id
    publish_schedule(conference, by=None)
    assert "Maas Room" in seen(client) and "Maas Room" in seen(other_worker)
    update_room(room, RoomInput(name="Rotte Room", capacity=160))
    for worker in (client, other_worker):
        assert "Rotte Room" in seen(worker) and "Maas Room" not in seen(worker)
    track.colour = "#117733"
    for worker in (client, other_worker):
        seen(worker)
        assert 'fill="#117733"' in worker.get(PAGE).get_data(as_text=True)


def test_a_new_room_is_offered_as_a_filter_at_once(client, other_worker, make, conference, talk):
    """Rooms and tracks are kept per programme state: a new one renews the state."""
    for worker in (client, other_worker):
        assert "Hall B" not in worker.get(PAGE).get_data(as_text=True)
    hall = make.room(conference, "Hall B")
    db.session.commit()
    for worker in (client, other_worker):
        html = worker.get(PAGE).get_data(as_text=True)
        assert f'<option value="{hall.id}">Hall B</option>' in html
        assert worker.get(f"{PAGE}&room={hall.id}").status_code == 200


def test_a_star_shows_at_once_and_only_for_the_one_who_starred(
    client, other_worker, make, conference, talk
):
    alice, bob = make.user(), make.user()
    make.member(alice, conference)
    make.member(bob, conference)
    db.session.commit()
    log_in(client, alice)
    log_in(other_worker, bob)
    for worker in (client, other_worker):
        html = worker.get(PAGE).get_data(as_text=True)
        assert 'aria-pressed="false"' in html and "★" not in html

    token = csrf(client, PAGE)
    response = client.post(
        f"/c/medconf/sessions/{talk.id}/star", data={"csrf_token": token, "next": PAGE}
    )
    assert response.status_code == 302
    mine = client.get(PAGE).get_data(as_text=True)
    assert f'/unstar" aria-pressed="true" aria-describedby="s{talk.id}">Starred' in mine
    assert "<small>1 ★</small>" in mine
    theirs = other_worker.get(PAGE).get_data(as_text=True)
    assert 'aria-pressed="true"' not in theirs and "<small>1 ★</small>" in theirs
    assert csrf(client, PAGE) != csrf(other_worker, PAGE)  # each session's own token

    db.session.query(Star).delete()
    for worker in (client, other_worker):
        assert "★" not in seen(worker)


def test_now_and_next_follows_the_clock(client, make, conference, talk, monkeypatch):
    make.item(conference, title="After coffee", starts_at=FRI_9 + timedelta(hours=1))
    publish_schedule(conference, by=None)
    clock = iter([FRI_9 + timedelta(minutes=10), FRI_9 + timedelta(minutes=50)])
    monkeypatch.setattr("confnet.schedule.views.utcnow", lambda: next(clock))
    assert "Happening now Heart failure in 2027" in seen(client)
    assert "Happening now Nothing is running right now." in seen(client)


def test_visitors_get_the_cached_day_without_star_buttons(client, make, conference, talk):
    member = make.user()
    make.member(member, conference)
    db.session.add(Star(user_id=member.id, item_id=talk.id))
    page = client.get(PAGE).get_data(as_text=True)
    assert "Heart failure in 2027" in page
    assert "aria-pressed" not in page and "★" not in page and 'name="csrf_token"' not in page
    assert "<?" not in page  # no slot marker is ever sent


def test_the_cache_keeps_within_its_bytes_and_drops_the_least_recently_used():
    cache = FragmentCache(max_bytes=10_000)
    for n in range(10):
        cache.put(n, f"fragment {n}", 2_000)
        cache.get(0)  # keeps being used
    assert cache.used <= 10_000
    assert cache.get(0) == "fragment 0" and cache.get(9) == "fragment 9"
    assert cache.get(1) is None and cache.get(5) is None
    cache.put("huge", "x", 20_000)  # larger than the whole cache: not kept
    assert cache.get("huge") is None and cache.get(9) == "fragment 9"


def test_a_fragment_fills_each_viewers_stars_and_slots():
    html = (
        "<ul><li>A<?star 7?><b>on</b><?or?><b>off</b><?end?></li><?nownext?>"
        "<li>B<?star 8?><b>on8</b><?or?><?end?></li></ul>"
    )
    fragment = Fragment.parse(html)
    assert fragment.item_ids == [7, 8]
    filled = fragment.fill(stars=True, starred={7}, counts={7: 3}, slots={"nownext": "<p>N</p>"})
    assert filled == "<ul><li>A<b>on</b><small>3 ★</small></li><p>N</p><li>B</li></ul>"
    assert fragment.fill(stars=False) == "<ul><li>A</li><li>B</li></ul>"
