"""Feeds as HTTP citizens: content type, strong validators, 304 without rendering, methods,
bad tokens, and the public conference, track and session calendars."""

from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import counting_queries
from test_feeds_parsers import read_feed

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import public, services
from confnet.models import ItemLink
from confnet.schedule.services import star_session, unstar_session

SECRET = "test-secret-key"
SAT_10 = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    public.clear_cache()  # ids repeat between tests once the database is emptied
    yield
    public.clear_cache()


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=date(2027, 3, 26), days=3)


@pytest.fixture
def setup(make, conference):
    """An attendee with a feed and one starred session."""
    user = make.user()
    make.member(user, conference)
    track = make.track(conference, "Cardiology")
    room = make.room(conference, "Hall A")
    talk = make.item(conference, title="Heart failure", starts_at=SAT_10, track=track, room=room)
    other = make.item(conference, title="Oncology", starts_at=SAT_10 + timedelta(hours=1))
    make.publish(conference)
    star_session(user, talk.published)
    feed = services.turn_on_feed(user, secret=SECRET, now=utcnow())
    token = services.make_token(feed.salt, SECRET)
    return {
        "user": user,
        "talk": talk,
        "other": other,
        "track": track,
        "room": room,
        "feed": feed,
        "path": f"/feeds/{token}.ics",
        "token": token,
    }


def test_a_feed_is_text_calendar_with_strong_validators(client, setup):
    response = client.get(setup["path"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert "Set-Cookie" not in response.headers
    assert list(read_feed(response.data)) == [f"{setup['talk'].guid}@confnet"]
    again = client.get(setup["path"])
    assert (again.data, again.headers["ETag"], again.headers["Last-Modified"]) == (
        response.data,
        etag,
        response.headers["Last-Modified"],
    )


RENDERERS = (
    "confnet.feeds.services.render_calendar",
    "confnet.feeds.sources.Sessions.events",
    "confnet.feeds.public.render_calendar",
    "confnet.feeds.public.build_calendar",
)


def unfold(data: bytes) -> str:
    return data.replace(b"\r\n ", b"").decode()


def test_unchanged_feeds_answer_304_without_rendering(client, setup, monkeypatch):
    first = client.get(setup["path"])
    public_feed = client.get("/c/medconf/schedule.ics")
    for target in RENDERERS:  # from now on, building a calendar fails the test
        monkeypatch.setattr(target, lambda *a, **k: pytest.fail("rendered a calendar"))
    for response, path in ((first, setup["path"]), (public_feed, "/c/medconf/schedule.ics")):
        for headers in (
            {"If-None-Match": response.headers["ETag"]},
            {"If-Modified-Since": response.headers["Last-Modified"]},
        ):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 304, (path, headers)
            assert answer.data == b""
            assert answer.headers["ETag"] == response.headers["ETag"]
            assert answer.headers["Cache-Control"] == response.headers["Cache-Control"]
            # RFC 9110: with an ETag, a 304 carries no other representation metadata.
            assert "Content-Type" not in answer.headers and "Last-Modified" not in answer.headers


def test_if_none_match_wins_over_if_modified_since(client, setup):
    first = client.get(setup["path"])
    stale = {"If-None-Match": '"p0000"', "If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(setup["path"], headers=stale).status_code == 200


def test_every_change_gives_a_new_etag_and_a_later_last_modified(client, make, setup):
    """Also changes without a timestamp of their own (un-starring, a renamed room, a new link):
    a client that only sends If-Modified-Since still gets them."""
    talk, room = setup["talk"], setup["room"]
    seen = []

    def check():
        response = client.get(setup["path"], headers={"If-Modified-Since": seen[-1][1]})
        assert response.status_code == 200
        assert response.headers["ETag"] not in [etag for etag, _ in seen]
        seen.append((response.headers["ETag"], response.headers["Last-Modified"]))
        return response

    first = client.get(setup["path"])
    seen.append((first.headers["ETag"], first.headers["Last-Modified"]))
    room.name = "Hall B"
    assert "LOCATION:Hall B" in unfold(check().data)
    db.session.add(ItemLink(item_id=talk.id, label="Slides", url="https://example.org/s"))
    assert "Slides: https://example.org/s" in unfold(check().data)
    services.set_reminder(setup["feed"], 10)
    assert "TRIGGER:-PT10M" in unfold(check().data)
    unstar_session(setup["user"], talk.published)
    assert read_feed(check().data) == {}
    times = [datetime.strptime(lm, "%a, %d %b %Y %H:%M:%S GMT") for _, lm in seen]
    assert times == sorted(set(times))  # strictly later each time, by at least a second


def test_head_answers_like_get_without_a_body(client, setup):
    get, head = client.get(setup["path"]), client.head(setup["path"])
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_feeds_accept_get_and_head_only(client, setup, method):
    for path in (setup["path"], "/c/medconf/schedule.ics", "/feeds/unknown.ics"):
        response = client.open(path, method=method)
        assert response.status_code == 405, (path, method)
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}


BAD_TOKENS = [
    "unknown",
    "A" * 43,  # the right shape, but nobody's
    "A" * 42,
    "A" * 44,
    "A" * 2000,
    "%C3%A9" * 43,  # é
    "..",
    "a.b",
    "%20" * 43,
    "a%2Fb",
    "<script>",
]


def test_bad_tokens_are_all_the_same_404(client, setup):
    bodies = set()
    for token in BAD_TOKENS:
        response = client.get(f"/feeds/{token}.ics")
        assert response.status_code == 404, token
        bodies.add(response.data)
    assert len(bodies) == 1  # nothing tells one wrong token from another
    assert setup["token"] not in bodies.pop().decode()


def test_wrong_tokens_cost_the_same_single_lookup(client, setup):
    """No shortcut for malformed tokens, nothing that depends on how much of a token is right:
    each wrong token is one look-up by hash and a constant-time comparison."""
    good = setup["token"]
    near = good[:-1] + ("A" if good[-1] != "A" else "B")
    services.regenerate_token(setup["feed"], secret=SECRET, now=utcnow())  # good is now revoked
    counts = []
    for token in (good, near, "x", "A" * 300, "%C3%A9"):
        db.session.commit()
        with counting_queries() as statements:
            assert client.get(f"/feeds/{token}.ics").status_code == 404
        counts.append([s for s in statements if "calendar_feeds" in s])
    assert all(len(c) == 1 for c in counts)


def test_regenerating_kills_the_old_url_at_once(client, setup):
    assert client.get(setup["path"]).status_code == 200
    services.regenerate_token(setup["feed"], secret=SECRET, now=utcnow())
    assert client.get(setup["path"]).status_code == 404
    token = services.token_of(setup["feed"], SECRET)
    assert token != setup["token"] and client.get(f"/feeds/{token}.ics").status_code == 200


def test_the_token_is_random_256_bits_and_only_its_hash_is_stored(make, setup):
    feed, token = setup["feed"], setup["token"]
    assert len(token) == 43 and services.TOKEN_PATTERN.fullmatch(token)
    assert token not in (feed.salt, feed.token_hash)
    assert feed.token_hash == services.hash_token(token)
    others = {
        services.turn_on_feed(make.user(), secret=SECRET, now=utcnow()).salt for _ in range(5)
    }
    assert len(others | {feed.salt}) == 6 and all(len(s) == 64 for s in others)
    assert services.token_of(feed, "another secret") is None  # a new secret needs a new URL


def test_the_conference_feed_holds_every_published_session(client, make, conference, setup):
    make.item(conference, title="Draft only", starts_at=SAT_10)  # never published
    response = client.get("/c/medconf/schedule.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    seen = read_feed(response.data)
    assert set(seen) == {f"{setup['talk'].guid}@confnet", f"{setup['other'].guid}@confnet"}
    assert b"X-WR-CALNAME:MedConf 2027" in response.data
    assert b"TRANSP:TRANSPARENT" in response.data and b"TRANSP:OPAQUE" not in response.data


def test_the_track_feed_and_the_session_file(client, make, conference, setup):
    talk = setup["talk"]
    track = client.get(f"/c/medconf/tracks/{setup['track'].id}.ics")
    assert list(read_feed(track.data)) == [f"{talk.guid}@confnet"]
    assert b"X-WR-CALNAME:MedConf 2027: Cardiology" in track.data
    single = client.get(f"/c/medconf/sessions/{talk.id}.ics")
    personal = client.get(setup["path"])
    assert read_feed(single.data) == read_feed(personal.data)  # same UID, same event
    assert single.headers["Content-Disposition"] == f'inline; filename="session-{talk.id}.ics"'
    assert b"TRANSP:OPAQUE" in single.data  # added to one's own calendar: time taken


def test_unknown_or_foreign_things_are_404(client, make, conference, setup):
    other = make.conference("other")
    foreign_track = make.track(other, "Elsewhere")
    foreign_item = make.item(other, starts_at=SAT_10)
    draft = make.item(conference, starts_at=SAT_10)
    make.publish(other)
    for path in (
        "/c/nope/schedule.ics",
        f"/c/medconf/tracks/{foreign_track.id}.ics",
        "/c/medconf/tracks/999999.ics",
        "/c/medconf/tracks/99999999999999.ics",
        f"/c/medconf/sessions/{foreign_item.id}.ics",
        f"/c/medconf/sessions/{draft.id}.ics",
        "/c/medconf/sessions/0.ics",
    ):
        assert client.get(path).status_code == 404, path


def test_the_conference_feed_is_built_once_per_version(
    client, make, conference, setup, monkeypatch
):
    builds = []
    real = public.build_calendar
    monkeypatch.setattr(public, "build_calendar", lambda *a: builds.append(1) or real(*a))
    first = client.get("/c/medconf/schedule.ics")
    assert client.get("/c/medconf/schedule.ics").data == first.data
    assert len(builds) == 1
    talk = setup["talk"]
    talk.title = "Heart failure (updated)"
    make.publish(conference)
    second = client.get("/c/medconf/schedule.ics")
    assert len(builds) == 2 and b"Heart failure (updated)" in second.data
    assert second.headers["ETag"] != first.headers["ETag"]
    setup["room"].name = "Hall B"  # live, no release: still a new version
    third = client.get("/c/medconf/schedule.ics", headers={"If-None-Match": second.headers["ETag"]})
    assert third.status_code == 200 and b"LOCATION:Hall B" in third.data and len(builds) == 3
