"""Shared notes through HTTP: reading, editing, conflicts, moderation, knowledge and exports."""

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import ItemLink, NoteRevision, PublishedItem, Role, ScheduleItem, Star
from confnet.notes import private, services
from confnet.releases.services import publish_schedule

T0 = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def conf(make):
    conference = make.conference("kb", name="Knowledge Conf")
    talk = make.item(conference, title="Heart failure in 2027", starts_at=T0)
    spare = make.item(conference, title="Sepsis bundles", starts_at=T0 + timedelta(hours=2))
    db.session.add(ItemLink(item_id=talk.id, label="Slides", url="https://slides.example/hf"))
    publish_schedule(conference, by=None)
    return conference, talk, spare


def person(make, conference, role=Role.ATTENDEE, **kw):
    user = make.user(**kw)
    make.member(user, conference, role)
    return user


def notes_url(item, suffix=""):
    return f"/c/kb/sessions/{item.id}/notes{suffix}"


def version_on(html: str) -> str:
    return re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html).group(1)


def save_form(client, item, body, version=None):
    page = client.get(notes_url(item) + "?edit=1").get_data(as_text=True)
    data = {"body": body, "version": version_on(page) if version is None else version}
    return client.post(notes_url(item), data={**data, "csrf_token": csrf(client, "/c/kb/my-notes")})


def other_client(app, user, password):
    client = app.test_client()
    data = {"email": user.email, "password": password, "csrf_token": csrf(client)}
    client.post("/log-in", data=data)
    return client


def test_member_writes_markdown_and_everyone_in_the_conference_reads_it(
    app, client, make, login, conf
):
    conference, talk, _ = conf
    ada = person(make, conference, name="Ada Byron")
    login(ada)
    page = client.get(notes_url(talk)).get_data(as_text=True)
    assert "Nobody has written anything yet" in page and "Start the notes" in page
    assert "Slides" in page and "https://slides.example/hf" in page
    editor = client.get(notes_url(talk) + "?edit=1").get_data(as_text=True)
    assert 'name="body"' in editor and "Markdown" in editor
    body = "## Take-home\n\n- **SGLT2** for all\n\n| drug | dose |\n|---|--:|\n| a | 10 |"
    response = save_form(client, talk, body)
    assert response.status_code == 302 and response.location.endswith("/notes#note")
    html = client.get(notes_url(talk)).get_data(as_text=True)
    assert "<h3>Take-home</h3>" in html and "<strong>SGLT2</strong>" in html
    assert '<td class="al-right">10</td>' in html
    assert "Revision 1" in html and "Ada Byron" in html

    bob = person(make, conference)
    other = other_client(app, bob, make.PASSWORD)
    assert "<strong>SGLT2</strong>" in other.get(notes_url(talk)).get_data(as_text=True)


def test_preview_shows_the_text_without_saving(client, make, login, post, conf):
    conference, talk, _ = conf
    login(person(make, conference))
    form = {"body": "*draft*", "version": "0", "preview": "Preview"}
    response = post(notes_url(talk), form, page="/c/kb/my-notes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<em>draft</em>" in html and "not saved yet" in html
    assert db.session.scalar(select(func.count()).select_from(NoteRevision)) == 0


def test_someone_saved_in_between_shows_the_conflict_screen_and_merging_works(
    app, client, make, login, conf
):
    conference, talk, _ = conf
    ada, bob = person(make, conference, name="Ada Byron"), person(make, conference)
    login(ada)
    save_form(client, talk, "line one")
    bobs = other_client(app, bob, make.PASSWORD)
    stale = version_on(bobs.get(notes_url(talk) + "?edit=1").get_data(as_text=True))
    assert save_form(client, talk, "line one\nAda's line").status_code == 302

    response = save_form(bobs, talk, "line one\nBob's line", version=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Not saved yet" in html and "Ada Byron saved revision 2" in html
    theirs = unescape(re.search(r'<textarea id="theirs"[^>]*>\n?(.*?)</textarea>', html, re.S)[1])
    assert theirs == "line one\nAda&#39;s line".replace("&#39;", "'")
    assert "Bob&#39;s line" in html and "Added: </span>Bob&#39;s line" in html
    assert "Removed: </span>Ada&#39;s line" in html
    assert version_on(html) == "2"  # the next save starts from the text Bob has now seen
    merged = "line one\nAda's line\nBob's line"
    assert save_form(bobs, talk, merged, version="2").status_code == 302
    db.session.rollback()
    bodies = db.session.scalars(select(NoteRevision.body).order_by(NoteRevision.number)).all()
    assert bodies == ["line one", "line one\nAda's line", merged]


def test_who_may_read_and_edit(app, client, make, login, post, conf):
    conference, talk, _ = conf
    assert client.get(notes_url(talk)).status_code == 302  # log in first
    stranger = make.user()
    login(stranger)
    assert client.get(notes_url(talk)).status_code == 403
    assert client.get("/c/kb/knowledge").status_code == 403
    form = {"body": "hi", "version": "0"}
    assert post(notes_url(talk), form, page="/account/profile").status_code == 403

    admin = make.user(admin=True)
    admins = other_client(app, admin, make.PASSWORD)
    token = csrf(admins, notes_url(talk, "?edit=1"))
    response = admins.post(notes_url(talk), data={**form, "csrf_token": token})
    assert response.status_code == 302  # site admins may read, edit and moderate
    assert db.session.scalar(select(func.count()).select_from(NoteRevision)) == 1


def test_bad_requests_change_nothing(app, client, make, login, post, conf):
    conference, talk, _ = conf
    login(person(make, conference))
    assert client.post(notes_url(talk), data={"body": "x", "version": "0"}).status_code == 400
    page = "/c/kb/my-notes"
    assert post(notes_url(talk), {"body": "x", "version": "nope"}, page=page).status_code == 400
    assert post(notes_url(talk), {"body": "x"}, page=page).status_code == 400
    too_long = post(notes_url(talk), {"body": "a" * 100_001, "version": "0"}, page=page)
    assert too_long.status_code == 400
    assert "at most 100 KB, and this text is 101 KB" in too_long.get_data(as_text=True)
    assert post(notes_url(talk), {"body": "x\x00", "version": "0"}, page=page).status_code == 400
    assert client.get("/c/kb/sessions/999999/notes").status_code == 404
    assert client.get("/c/kb/sessions/99999999999/notes").status_code == 404
    assert client.get("/c/nope/sessions/1/notes").status_code == 404
    draft = make.item(conference, title="Draft only")
    assert client.get(notes_url(draft)).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(NoteRevision)) == 0


def test_cancelled_sessions_keep_their_notes_readable_but_frozen(client, make, login, post, conf):
    conference, talk, _ = conf
    ada = person(make, conference)
    published = db.session.get(PublishedItem, talk.id)
    services.save_shared_note(published, ada, "kept", base=0, now=utcnow())
    private.save_private_note(ada, conference, published, "**mine**", version=0, now=utcnow())
    db.session.get(ScheduleItem, talk.id).cancelled = True
    publish_schedule(conference, by=None)
    login(ada)
    html = client.get(notes_url(talk) + "?edit=1").get_data(as_text=True)
    assert "kept" in html and "can be read but not changed" in html and 'name="body"' not in html
    response = post(notes_url(talk), {"body": "changed", "version": "1"}, page="/c/kb/my-notes")
    assert response.status_code == 400 and "cancelled" in response.get_data(as_text=True)
    mine = f"/c/kb/sessions/{talk.id}/my-note"
    html = client.get(mine).get_data(as_text=True)
    assert "<strong>mine</strong>" in html and 'name="body"' not in html
    response = post(mine, {"body": "mine", "version": "1"}, page="/c/kb/my-notes")
    assert response.status_code == 400 and "cancelled" in response.get_data(as_text=True)


def test_history_diff_restore_and_hide(app, client, make, login, conf):
    conference, talk, _ = conf
    ada, troll = person(make, conference, name="Ada Byron"), person(make, conference)
    item = db.session.get(PublishedItem, talk.id)
    for number, (who, text) in enumerate(
        [(ada, "alpha\nbeta"), (troll, "alpha\nbeta\nNASTY WORDS"), (ada, "alpha\nbeta\ngamma")]
    ):
        services.save_shared_note(item, who, text, base=number, now=utcnow())
    login(ada)
    history = client.get(notes_url(talk, "/history")).get_data(as_text=True)
    assert "Revision 3" in history and "Ada Byron" in history and "Restore" not in history
    diff = client.get(notes_url(talk, "/diff?a=1&b=3")).get_data(as_text=True)
    assert "Added: </span>gamma" in diff
    assert client.get(notes_url(talk, "/diff?a=1&b=9")).status_code == 404
    assert client.get(notes_url(talk, "/diff?a=x&b=1")).status_code == 400
    assert client.get(notes_url(talk, "/diff?a=1&b=99999999999999999999")).status_code == 400
    assert client.get(notes_url(talk, "/history?before=99999999999999999999")).status_code == 200
    assert "Revision 1" in client.get(notes_url(talk, "/history?before=2")).get_data(as_text=True)
    attendee_try = client.post(
        notes_url(talk, "/revisions/2/hide"), data={"csrf_token": csrf(client, "/c/kb/my-notes")}
    )
    assert attendee_try.status_code == 403

    organizer = person(make, conference, Role.ORGANIZER)
    org = other_client(app, organizer, make.PASSWORD)
    history = org.get(notes_url(talk, "/history")).get_data(as_text=True)
    token = csrf(org, notes_url(talk, "/history"))
    assert "Restore" in history and "Hide" in history
    hidden = org.post(notes_url(talk, "/revisions/2/hide"), data={"csrf_token": token})
    assert hidden.status_code == 302
    assert "NASTY" not in org.get(notes_url(talk, "/diff?a=2&b=3")).get_data(as_text=True)
    assert "hidden by the organizers" in client.get(notes_url(talk, "/diff?a=1&b=2")).get_data(
        as_text=True
    )
    assert "NASTY" not in client.get(notes_url(talk, "/history")).get_data(as_text=True)
    restored = org.post(notes_url(talk, "/revisions/1/restore"), data={"csrf_token": token})
    assert restored.status_code == 302
    missing = org.post(notes_url(talk, "/revisions/7/restore"), data={"csrf_token": token})
    assert missing.status_code == 404
    db.session.rollback()
    current = services.current_note(talk.id)
    assert (current.number, current.body, current.revision.restored_from) == (4, "alpha\nbeta", 1)
    assert services.revision_of(talk.id, 2).body.endswith("NASTY WORDS")  # kept for audit


def test_knowledge_page_with_search_and_attended_sessions_first(client, make, login, conf):
    conference, talk, spare = conf
    ada = person(make, conference)
    sepsis = db.session.get(PublishedItem, spare.id)
    services.save_shared_note(sepsis, ada, "Lactate > 4 means shock", base=0, now=utcnow())
    db.session.add(Star(user_id=ada.id, item_id=talk.id))
    login(ada)
    html = client.get("/c/kb/knowledge").get_data(as_text=True)
    assert html.index("Sessions you attended") < html.index("Heart failure") < html.index("Sepsis")
    assert "Lactate &gt; 4 means shock" in html and "1 of 2 sessions have shared notes" in html
    found = client.get("/c/kb/knowledge?q=lactate").get_data(as_text=True)
    assert "1 session matches “lactate”" in found and "Heart failure" not in found
    assert "Nothing matches" in client.get("/c/kb/knowledge?q=zzz").get_data(as_text=True)
    assert client.get("/c/kb/knowledge?q=" + "x" * 5000).status_code == 200


def zip_names(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_exports(app, client, make, login, post, conf):
    conference, talk, _ = conf
    ada = person(make, conference)
    services.save_shared_note(
        db.session.get(PublishedItem, talk.id), ada, "shared text", base=0, now=utcnow()
    )
    login(ada)
    post(f"/c/kb/sessions/{talk.id}/my-note", {"body": "my own text", "version": "0"})
    response = client.get("/c/kb/my-notes.zip")
    assert response.mimetype == "application/zip"
    assert "kb-my-notes.zip" in response.headers["Content-Disposition"]
    text = "".join(zip_names(response).values())
    assert "my own text" in text and "shared text" in text and "https://slides.example/hf" in text
    assert client.get("/c/kb/manage/notes.zip").status_code == 403

    organizer = person(make, conference, Role.ORGANIZER)
    org = other_client(app, organizer, make.PASSWORD)
    everything = "".join(zip_names(org.get("/c/kb/manage/notes.zip")).values())
    assert "shared text" in everything and "my own text" not in everything


def test_session_box_partial_shows_the_excerpt_in_a_fixed_number_of_queries(app, make, conf):
    from flask import render_template_string
    from flask_login import login_user
    from helpers import counting_queries

    conference, talk, _ = conf
    ada, bob = person(make, conference, name="Ada Byron"), person(make, conference, name="Bob")
    item = db.session.get(PublishedItem, talk.id)
    text = "# Summary\n\n" + "\n\n".join(f"Point {n} <script>x</script>" for n in range(200))
    services.save_shared_note(item, ada, text, base=0, now=utcnow())
    services.save_shared_note(item, bob, text + "\n\nmore", base=1, now=utcnow())
    db.session.commit()
    with app.test_request_context(f"/c/kb/sessions/{talk.id}"):
        login_user(ada)
        item = db.session.get(PublishedItem, talk.id)
        assert conference.slug and item.title  # loaded, as on the session page
        with counting_queries() as queries:
            html = render_template_string(
                '{% include "notes/_on_session.html" %}', conference=conference, item=item
            )
    assert "<h3>Summary</h3>" in html and "Point 1 &lt;script&gt;" in html
    assert "Point 150" not in html and "Read all the notes" in html
    assert "By Ada Byron, Bob · revision 2" in html and f"/c/kb/sessions/{talk.id}/my-note" in html
    assert len(queries) <= 4  # membership (memoised per request), note, contributors, mine
