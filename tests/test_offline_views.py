"""The installable, offline-first app over HTTP: manifests and icons, the service worker's
headers, the offline plan per viewer, the changes a phone sends back, the fallback pages and
the viewer header every page carries."""

import re
import struct
from datetime import UTC, datetime, timedelta

import pytest
from helpers import counting_queries, csrf
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import PrivateNote, ScheduleItem, Star
from confnet.notes.private import save_private_note
from confnet.offline.services import viewer_key
from confnet.schedule.services import find_published, star_session

T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
SLUG = "pwa"


@pytest.fixture
def conf(make):
    conference = make.conference(SLUG, name="MedConnect Europe 2027", tagline="Three good days")
    talks = [
        make.item(conference, title=f"Talk {n}", starts_at=T0 + timedelta(hours=n))
        for n in range(2)
    ]
    make.publish(conference)
    return conference, [find_published(conference, t.id) for t in talks]


@pytest.fixture
def ada(make, conf):
    user = make.user(name="Ada Lovelace")
    make.member(user, conf[0])
    return user


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_a_conference_installs_as_an_app_that_opens_on_its_programme(client, conf):
    response = client.get(f"/c/{SLUG}/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "MedConnect Europe 2027"
    assert manifest["short_name"] == "MedConnect"
    assert manifest["description"] == "Three good days"
    assert manifest["start_url"] == f"/c/{SLUG}/schedule"
    assert manifest["scope"] == f"/c/{SLUG}/"
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5d66" and manifest["background_color"]
    assert client.get(f"/c/{SLUG}/manifest.webmanifest").headers["ETag"] == response.headers["ETag"]
    assert client.get("/c/nope/manifest.webmanifest").status_code == 404


def test_the_icons_are_pngs_of_the_sizes_the_manifest_names(client, conf):
    manifest = client.get(f"/c/{SLUG}/manifest.webmanifest").get_json(force=True)
    purposes = set()
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200 and response.mimetype == "image/png"
        width, height = png_size(response.data)
        assert icon["sizes"] == f"{width}x{height}"
        purposes.add((icon["purpose"], icon["sizes"]))
    assert {("any", "192x192"), ("any", "512x512"), ("maskable", "512x512")} <= purposes


def test_pages_link_their_manifest_and_the_rest_of_the_site_links_the_sites(client, conf):
    page = client.get(f"/c/{SLUG}/schedule").get_data(as_text=True)
    assert f'<link rel="manifest" href="/c/{SLUG}/manifest.webmanifest">' in page
    assert 'name="theme-color"' in page and 'rel="apple-touch-icon"' in page
    home = client.get("/conferences").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    site = client.get("/manifest.webmanifest").get_json(force=True)
    assert (site["name"], site["start_url"], site["scope"]) == ("confnet", "/", "/")


def test_the_service_worker_is_served_from_the_root_and_checked_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.data
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_visitor_keeps_the_programme_and_nothing_personal(client, conf):
    conference, talks = conf
    response = client.get(f"/c/{SLUG}/offline.json")
    assert response.headers["Cache-Control"] == "no-store"
    plan = response.get_json()
    assert plan["viewer"] == "anon" and plan["csrf"] is None and plan["changes"] is None
    assert plan["version"].startswith("r1-")
    assert plan["cache"] == f"confnet-pages|{SLUG}|anon|{plan['version']}"
    pages = plan["pages"]
    assert f"/c/{SLUG}/schedule" in pages and f"/c/{SLUG}/schedule?day=2027-03-27" in pages
    assert {f"/c/{SLUG}/sessions/{t.item_id}" for t in talks} <= set(pages)
    assert not [p for p in pages if "agenda" in p or "my-note" in p or "meetings" in p]
    assert set(plan["personal"]) <= set(pages)
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{8}\.css", a) for a in plan["assets"])
    assert not [a for a in plan["assets"] if "sw." in a]
    assert plan["fallbacks"] == {"page": "/offline/page", "action": "/offline/action"}
    assert plan["check"] == f"/c/{SLUG}/offline/check"
    assert plan["sessions"] == f"/c/{SLUG}/sessions/"


def test_the_check_is_small_and_names_the_copy_to_hold(client, login, make, conf, ada):
    conference, talks = conf
    plan = client.get(f"/c/{SLUG}/offline.json").get_json()
    response = client.get(f"/c/{SLUG}/offline/check")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"cache": plan["cache"], "version": plan["version"]}
    db.session.get(ScheduleItem, talks[0].item_id).title = "Renamed"
    make.publish(conference)
    assert client.get(f"/c/{SLUG}/offline/check").get_json()["version"].startswith("r2-")
    login(ada)
    mine = client.get(f"/c/{SLUG}/offline/check").get_json()["cache"]
    assert f"|{viewer_key(ada, 'test-secret-key')}|" in mine


def test_a_big_programme_keeps_the_days_and_the_viewers_own_sessions(
    app, client, login, monkeypatch, conf, ada
):
    conference, talks = conf
    star_session(ada, talks[1])
    monkeypatch.setitem(app.config, "OFFLINE_ALL_SESSIONS_MAX", 1)
    login(ada)
    pages = client.get(f"/c/{SLUG}/offline.json").get_json()["pages"]
    assert f"/c/{SLUG}/sessions/{talks[1].item_id}" in pages
    assert f"/c/{SLUG}/sessions/{talks[0].item_id}" not in pages
    assert f"/c/{SLUG}/schedule?day=2027-03-26" in pages


def test_a_member_keeps_agenda_workshops_notes_meetings_and_contacts(
    client, login, make, conf, ada
):
    conference, talks = conf
    star_session(ada, talks[1])
    friend = make.user()
    make.member(friend, conference)
    connection = make.introduction(conference, ada, friend)
    login(ada)
    plan = client.get(f"/c/{SLUG}/offline.json").get_json()
    assert plan["viewer"] == viewer_key(ada, "test-secret-key") != "anon"
    assert plan["csrf"] and plan["changes"] == f"/c/{SLUG}/offline/changes"
    for page in (
        f"/c/{SLUG}/agenda",
        f"/c/{SLUG}/my-workshops",
        f"/c/{SLUG}/my-notes",
        f"/c/{SLUG}/meetings",
        f"/c/{SLUG}/introductions",
        f"/c/{SLUG}/sessions/{talks[1].item_id}/my-note",
        f"/c/{SLUG}/sessions/{talks[1].item_id}/notes",
        f"/c/{SLUG}/introductions/{connection.id}",
    ):
        assert page in plan["pages"], page
        assert client.get(page).status_code == 200, page
    assert f"/c/{SLUG}/sessions/{talks[0].item_id}/my-note" not in plan["pages"]


def test_every_page_names_its_viewer_for_the_service_worker(client, login, conf, ada):
    response = client.get(f"/c/{SLUG}/schedule")
    assert response.headers["X-Confnet-Viewer"] == "anon"
    assert 'data-viewer="anon"' in response.get_data(as_text=True)
    login(ada)
    response = client.get(f"/c/{SLUG}/schedule")
    key = viewer_key(ada, "test-secret-key")
    assert response.headers["X-Confnet-Viewer"] == key
    html = response.get_data(as_text=True)
    assert f'data-viewer="{key}"' in html and 'data-offline-saved=""' in html
    assert f'data-plan="/c/{SLUG}/offline.json"' in html
    assert "X-Confnet-Viewer" not in client.get(f"/c/{SLUG}/offline.json").headers


def test_a_page_kept_in_the_background_leaves_the_message_for_the_page_the_person_sees(
    client, login, conf, ada
):
    login(ada)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Session saved.")]
    copy = client.get(f"/c/{SLUG}/agenda", headers={"X-Confnet-Offline-Copy": "1"})
    assert copy.status_code == 200 and "Session saved." not in copy.get_data(as_text=True)
    seen = client.get(f"/c/{SLUG}/schedule").get_data(as_text=True)
    assert "Session saved." in seen
    assert "Session saved." not in client.get(f"/c/{SLUG}/schedule").get_data(as_text=True)


def send(client, changes, token=None):
    token = token or client.get(f"/c/{SLUG}/offline.json").get_json()["csrf"]
    return client.post(
        f"/c/{SLUG}/offline/changes",
        json={"changes": changes},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def test_queued_stars_and_notes_are_applied_and_answered(client, login, conf, ada):
    conference, talks = conf
    login(ada)
    item = talks[0].item_id
    response = send(
        client,
        [
            {"key": f"star|{SLUG}|{item}", "kind": "star", "item": item, "starred": True},
            {
                "key": f"note|{SLUG}|{item}",
                "kind": "note",
                "item": item,
                "body": "Ok",
                "version": 0,
            },
        ],
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert [r["status"] for r in answer["results"]] == ["done", "done"]
    assert f"/c/{SLUG}/sessions/{item}" in answer["refresh"]
    assert f"/c/{SLUG}/agenda" in answer["refresh"]
    assert db.session.get(Star, (ada.id, item)) is not None
    assert db.session.scalar(select(PrivateNote.body).filter_by(user_id=ada.id)) == "Ok"


def test_a_note_saved_elsewhere_meanwhile_comes_back_as_a_conflict(client, login, conf, ada):
    conference, talks = conf
    from confnet.database import utcnow

    save_private_note(ada, conference, talks[0], "Laptop", version=0, now=utcnow())
    login(ada)
    change = {"key": "n", "kind": "note", "item": talks[0].item_id, "body": "Phone", "version": 0}
    answer = send(client, [change]).get_json()
    assert answer["results"][0]["status"] == "conflict"
    assert answer["refresh"] == []
    assert db.session.scalar(select(PrivateNote.body).filter_by(user_id=ada.id)) == "Laptop"


def test_sending_changes_needs_the_token_membership_and_a_list(client, login, make, conf, ada):
    star = [{"key": "s", "kind": "star", "item": conf[1][0].item_id, "starred": True}]
    login(ada)
    token = client.get(f"/c/{SLUG}/offline.json").get_json()["csrf"]
    assert send(client, star, token="forged").status_code == 400
    bad = client.post(
        f"/c/{SLUG}/offline/changes",
        data="not json",
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    assert send(client, star, token=token).status_code == 200
    client.post("/log-out", data={"csrf_token": csrf(client, "/log-out")})
    outsider = make.user()
    login(outsider)
    assert send(client, star).status_code == 403
    assert client.post(f"/c/{SLUG}/offline/changes", json={}).status_code == 400  # no token
    assert db.session.scalar(select(Star.user_id).filter_by(user_id=outsider.id)) is None


@pytest.mark.parametrize("kind", ["page", "action"])
def test_the_fallback_pages_name_nobody(client, login, conf, ada, kind):
    login(ada)
    response = client.get(f"/offline/{kind}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ada" not in html and "offline" in html.lower()
    assert ("needs a connection" in html) == (kind == "action")
    assert client.get("/offline/other").status_code == 404


def test_the_check_costs_a_few_small_queries_however_big_the_programme(client, login, conf, ada):
    login(ada)
    client.get(f"/c/{SLUG}/offline/check")
    with counting_queries() as statements:
        assert client.get(f"/c/{SLUG}/offline/check").status_code == 200
    # BEGIN, the conference, the user, the release number and the feeds' stamp (four).
    assert len(statements) <= 8
