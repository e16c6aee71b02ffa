"""Private notes are their author's alone: other attendees, organizers and site admins try every
page they can reach, and never see a word of them."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
from helpers import csrf

from confnet.extensions import db
from confnet.models import Role, Star
from confnet.releases.services import publish_schedule

SECRET_SESSION = "Xylophone-secret-about-the-speaker"
SECRET_FREE = "Quokka-secret-about-the-venue"


@pytest.fixture
def scene(app, make, client, login, post):
    conference = make.conference("priv", name="Private Conf")
    talk = make.item(conference, title="Talk", starts_at=datetime(2027, 3, 26, 8, tzinfo=UTC))
    publish_schedule(conference, by=None)
    author = make.user(name="Ada Author")
    make.member(author, conference)
    db.session.add(Star(user_id=author.id, item_id=talk.id))
    login(author)
    mine = f"/c/priv/sessions/{talk.id}/my-note"
    assert post(mine, {"body": SECRET_SESSION, "version": "0"}).status_code == 302
    assert post("/c/priv/my-notes", {"body": SECRET_FREE, "version": "0"}).status_code == 302
    page = client.get(mine).get_data(as_text=True)
    assert SECRET_SESSION in page and "Only you can see this note" in page
    assert SECRET_FREE in client.get("/c/priv/my-notes").get_data(as_text=True)
    return conference, talk


def client_for(app, user, password):
    client = app.test_client()
    data = {"email": user.email, "password": password, "csrf_token": csrf(client)}
    client.post("/log-in", data=data)
    return client


def readable(response) -> str:
    """The body as text, with a zip's files unpacked."""
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    return response.get_data(as_text=True)


def every_page(app, slug: str, item_id: int) -> list[str]:
    """Every GET page of the app that needs at most a conference and a session."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or not set(rule.arguments) <= {"slug", "item_id"}:
                continue
            if rule.endpoint == "static":
                continue
            values = {"slug": slug, "item_id": item_id}
            urls.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    return urls


@pytest.mark.parametrize(
    "who", ["attendee", "organizer", "site admin", "site admin and organizer", "stranger"]
)
def test_nobody_else_ever_sees_a_private_note(app, make, scene, who):
    conference, talk = scene
    other = make.user(admin=who.startswith("site admin"))
    if who in ("attendee", "organizer", "site admin and organizer"):
        role = Role.ATTENDEE if who == "attendee" else Role.ORGANIZER
        make.member(other, conference, role)
    db.session.add(Star(user_id=other.id, item_id=talk.id))
    client = client_for(app, other, make.PASSWORD)
    pages = every_page(app, "priv", talk.id)
    assert "/c/priv/manage/notes.zip" in pages and "/admin/outbox" in pages
    for url in pages + ["/c/priv/knowledge?q=Xylophone", "/c/priv/knowledge?q=Quokka"]:
        response = client.get(url)
        assert response.status_code < 500, url
        text = readable(response)
        assert SECRET_SESSION not in text and SECRET_FREE not in text, url
        assert "Xylophone-secret" not in text, url

    # The same addresses give them their own (empty) notes, or nothing at all.
    own = client.get(f"/c/priv/sessions/{talk.id}/my-note")
    if who in ("site admin", "stranger"):
        assert own.status_code == 403
    else:
        assert own.status_code == 200 and 'name="body"' in own.get_data(as_text=True)


def test_two_tabs_of_the_same_person_cannot_overwrite_each_other_unseen(client, post, scene):
    _, talk = scene
    mine = f"/c/priv/sessions/{talk.id}/my-note"
    assert post(mine, {"body": "tab one", "version": "1"}).status_code == 302
    response = post(mine, {"body": "tab two", "version": "1"})  # opened before tab one saved
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "another tab or on another device" in html
    assert "tab one" in html and "tab two" in html
    assert post(mine, {"body": "tab one and two", "version": "2"}).status_code == 302
    assert "tab one and two" in client.get(mine).get_data(as_text=True)
    too_long = post(mine, {"body": "z" * 100_001, "version": "3"})
    assert too_long.status_code == 400 and "at most 100 KB" in too_long.get_data(as_text=True)
