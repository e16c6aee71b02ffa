"""gzip on the wire: pages, feeds and exports are compressed for clients that accept it, and
conditional requests keep answering 304 with validators that tell the two bodies apart."""

import gzip
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Response
from test_feeds_http import RENDERERS

from confnet.database import utcnow
from confnet.feeds import public, services
from confnet.schedule.services import star_session
from confnet.web_assets.compression import KEEP_FROM, MIN_SIZE, RecentBodies, compress

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
SAT_10 = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def setup(make):
    """A published conference and an attendee with a personal feed and one starred session."""
    public.clear_cache()  # ids repeat between tests once the database is emptied
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=3)
    user = make.user()
    make.member(user, conference)
    talk = make.item(conference, title="Heart failure", starts_at=SAT_10)
    other = make.item(conference, title="Oncology", starts_at=SAT_10 + timedelta(hours=1))
    make.publish(conference)
    star_session(user, talk.published)
    feed = services.turn_on_feed(user, secret="test-secret-key", now=utcnow())
    token = services.make_token(feed.salt, "test-secret-key")
    yield {"user": user, "other": other, "path": f"/feeds/{token}.ics", "token": token}
    public.clear_cache()


def test_pages_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/")  # no form: nothing differs between two requests
    packed = client.get("/", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    for response in (plain, packed):  # a cache must not give either body to the other client
        assert "Accept-Encoding" in response.vary


@pytest.mark.parametrize("header", ["identity", "gzip;q=0", "*;q=0", "br"])
def test_clients_that_refuse_gzip_get_the_plain_page(client, header):
    response = client.get("/log-in", headers={"Accept-Encoding": header})
    assert "Content-Encoding" not in response.headers
    assert b"<!doctype html>" in response.data


def test_error_pages_are_compressed_too(client):
    response = client.get("/no-such-page", headers=GZIP)
    assert response.status_code == 404
    assert b"<!doctype html>" in gzip.decompress(response.data)


def test_pages_that_show_a_secret_stay_uncompressed(client, setup, login):
    """The calendar page shows the feed's secret URL: its compressed size must not leak it."""
    login(setup["user"])
    response = client.get("/account/calendar", headers=GZIP)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert "Content-Encoding" not in response.headers
    assert setup["token"].encode() in response.data


@pytest.mark.parametrize(
    ("size", "mimetype", "headers", "compressed"),
    [
        (MIN_SIZE - 1, "text/html", {}, False),
        (MIN_SIZE, "text/html", {}, True),
        (5000, "application/json", {}, True),
        (5000, "application/manifest+json", {}, True),
        (5000, "image/png", {}, False),
        (5000, "text/html", {"Content-Encoding": "br"}, False),
        (5000, "text/html", {"Cache-Control": "no-transform"}, False),
    ],
)
def test_what_is_worth_compressing(app, size, mimetype, headers, compressed):
    body = b"x" * size
    with app.test_request_context(headers=GZIP):
        response = compress(Response(body, mimetype=mimetype, headers=headers))
    assert (response.headers.get("Content-Encoding") == "gzip") is compressed
    sent = response.get_data()
    assert (gzip.decompress(sent) if compressed else sent) == body


def test_streamed_responses_are_left_alone(app):
    def chunks():
        yield b"x" * 5000

    with app.test_request_context(headers=GZIP):
        response = compress(Response(chunks(), mimetype="text/html"))
    assert "Content-Encoding" not in response.headers


def feed_paths(setup) -> list[str]:
    return [setup["path"], "/c/medconf/schedule.ics", "/c/medconf/schedule.json"]


def test_a_compressed_feed_has_its_own_strong_etag(client, setup):
    for path in feed_paths(setup):
        plain, packed = client.get(path), client.get(path, headers=GZIP)
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.data) == plain.data
        tag = plain.headers["ETag"]
        assert not tag.startswith("W/")
        assert packed.headers["ETag"] == tag[:-1] + '-gzip"'


def test_feeds_answer_304_to_either_validator_without_rendering(client, setup, monkeypatch):
    first = {path: client.get(path, headers=GZIP) for path in feed_paths(setup)}
    for target in RENDERERS:  # from now on, building a calendar fails the test
        monkeypatch.setattr(target, lambda *a, **k: pytest.fail("rendered a calendar"))
    for path, response in first.items():
        packed_tag = response.headers["ETag"]
        plain_tag = packed_tag.replace('-gzip"', '"')
        for held in (packed_tag, plain_tag, f'"other", {packed_tag}'):
            answer = client.get(path, headers={**GZIP, "If-None-Match": held})
            assert answer.status_code == 304, (path, held)
            assert answer.data == b""
            # The 304 names the body the client holds.
            assert answer.headers["ETag"] == (plain_tag if held == plain_tag else packed_tag)
            assert answer.headers["Cache-Control"] == response.headers["Cache-Control"]


def test_a_client_that_stops_accepting_gzip_gets_the_plain_feed(client, setup):
    packed_tag = client.get(setup["path"], headers=GZIP).headers["ETag"]
    answer = client.get(setup["path"], headers={"If-None-Match": packed_tag})
    assert answer.status_code == 200
    assert "Content-Encoding" not in answer.headers
    assert answer.headers["ETag"] == packed_tag.replace('-gzip"', '"')


def test_a_changed_feed_is_sent_again_compressed(client, setup):
    packed_tag = client.get(setup["path"], headers=GZIP).headers["ETag"]
    star_session(setup["user"], setup["other"].published)
    answer = client.get(setup["path"], headers={**GZIP, "If-None-Match": packed_tag})
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["ETag"] not in (packed_tag, packed_tag.replace('-gzip"', '"'))


def test_head_requests_announce_the_compressed_length(client, setup):
    get = client.get("/c/medconf/schedule.ics", headers=GZIP)
    head = client.head("/c/medconf/schedule.ics", headers=GZIP)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Encoding"] == "gzip"
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_bodies_without_a_strong_etag_are_compressed_each_time_and_kept_ones_stay():
    recent = RecentBodies(size=1)
    named = ("https://a.example/c/x/schedule.ics", "c1-r2")
    calendar = b"BEGIN:VCALENDAR\r\n" + b"x" * KEEP_FROM
    packed = recent.gzip(calendar, named)
    page = b"<!doctype html>" + b"y" * KEEP_FROM
    assert gzip.decompress(recent.gzip(page)) == page
    assert recent.gzip(page) is not recent.gzip(page)  # a page is never kept ...
    assert recent.gzip(calendar, named) is packed  # ... so it can't push a calendar out


def test_large_bodies_with_a_strong_etag_keep_their_gzip_form_by_url_and_etag():
    """The same export under two host names has the same ETag but other URLs inside: each
    address keeps its own gzip form."""
    recent = RecentBodies(size=4)
    here = b'{"url": "https://a.example/"}' + b" " * KEEP_FROM
    there = here.replace(b"a.example", b"b.example")
    packed = recent.gzip(here, ("https://a.example/c/x/schedule.json", "c1-r2"))
    assert recent.gzip(here, ("https://a.example/c/x/schedule.json", "c1-r2")) is packed
    elsewhere = recent.gzip(there, ("https://b.example/c/x/schedule.json", "c1-r2"))
    assert gzip.decompress(elsewhere) == there
    newer = recent.gzip(here, ("https://a.example/c/x/schedule.json", "c1-r3"))
    assert newer is not packed and gzip.decompress(newer) == here
