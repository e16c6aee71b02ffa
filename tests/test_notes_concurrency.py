"""Many people save the same shared note at the same moment: every accepted save is in the
history, every refused one got the conflict screen (and then merged), none silently vanished."""

import multiprocessing
import re
import threading
from datetime import UTC, datetime
from html import unescape

from helpers import app_config, csrf
from sqlalchemy import select

from confnet import create_app
from confnet.database import utcnow, write_intent
from confnet.extensions import db
from confnet.models import NoteRevision, PublishedItem, User
from confnet.notes import services
from confnet.releases.services import publish_schedule

CLIENTS = 8
PROCESSES, PER_PROCESS = 4, 5


def setup_note(make, people: int):
    conference = make.conference("rush")
    item = make.item(conference, title="Busy session", starts_at=datetime(2027, 3, 26, tzinfo=UTC))
    users = [make.user() for _ in range(people)]
    for user in users:
        make.member(user, conference)
    publish_schedule(conference, by=None)
    published = db.session.get(PublishedItem, item.id)
    services.save_shared_note(published, users[0], "start", base=0, now=utcnow())
    db.session.commit()
    return item, users


def conflict_screen(html: str) -> tuple[str, str, str]:
    """(the saved text, the version to start from, the text in the editor) on a 409 page."""
    theirs = re.search(r'<textarea id="theirs"[^>]*>\n?(.*?)</textarea>', html, re.S)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    mine = re.search(r'<textarea[^>]*name="body"[^>]*>\r?\n?(.*?)</textarea>', html, re.S)
    return unescape(theirs[1]), version[1], unescape(mine[1])


def test_many_clients_save_at_once_and_no_save_vanishes(app, make):
    item, users = setup_note(make, CLIENTS)
    url = f"/c/rush/sessions/{item.id}/notes"
    clients = []
    for user in users:
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, url + "?edit=1")))
    start = threading.Barrier(len(clients))
    accepted: dict[int, str] = {}  # client -> the text of its accepted save
    refused: list[tuple[int, int, bool]] = []  # (client, status, conflict screen with my text)

    def edit(n: int, client, token: str) -> None:
        with app.app_context():
            text, version = "start", "1"  # everyone opened the editor on revision 1
            start.wait(timeout=60)
            for _ in range(CLIENTS + 1):
                body = f"{text}\nline from client {n}"
                data = {"body": body, "version": version, "csrf_token": token}
                response = client.post(url, data=data)
                if response.status_code == 302:
                    accepted[n] = body
                    return
                html = response.get_data(as_text=True)
                text, version, in_editor = conflict_screen(html)
                screen = "Not saved yet" in html and in_editor == body
                refused.append((n, response.status_code, screen))

    threads = [threading.Thread(target=edit, args=(n, *pair)) for n, pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(accepted) == list(range(CLIENTS))  # everyone got in, after merging
    assert all(status == 409 and screen for _, status, screen in refused)
    assert len(refused) >= CLIENTS - 1  # all started from revision 1: only one could win it
    db.session.rollback()
    revisions = db.session.scalars(select(NoteRevision).order_by(NoteRevision.number)).all()
    assert [r.number for r in revisions] == list(range(1, CLIENTS + 2))
    assert sorted(r.body for r in revisions[1:]) == sorted(accepted.values())
    final = revisions[-1].body
    assert all(f"line from client {n}\n" in final + "\n" for n in range(CLIENTS))


def _writer(uri: str, user_id: int, item_id: int, barrier, results) -> None:
    app = create_app(app_config(uri))
    with app.app_context():
        db.session.execute(select(1))
        db.session.rollback()
        barrier.wait(timeout=60)
        saved = 0
        for _ in range(PER_PROCESS * PROCESSES * 4):
            if saved == PER_PROCESS:
                break
            try:
                current = services.current_note(item_id)  # what the editor showed
                base, text = current.number, current.body
                db.session.rollback()
                with write_intent():
                    user = db.session.get(User, user_id)
                    item = db.session.get(PublishedItem, item_id)
                    body = f"{text}\nuser {user_id} save {saved}"
                    revision = services.save_shared_note(item, user, body, base=base, now=utcnow())
                    number = revision.number
                    db.session.commit()
                results.put(("saved", number, body))
                saved += 1
            except services.EditConflict:
                db.session.rollback()
                results.put(("conflict", None, None))
            except Exception as err:  # reported, so that the test names it
                db.session.rollback()
                results.put(("error", None, repr(err)))
            finally:
                db.session.close()
        results.put(("done", user_id, None))


def test_many_processes_never_lose_a_revision(app, make, database_uri):
    item, users = setup_note(make, PROCESSES)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=_writer, args=(database_uri, user.id, item.id, barrier, results))
        for user in users
    ]
    for worker in workers:
        worker.start()
    answers, done = [], 0
    while done < PROCESSES:
        answer = results.get(timeout=180)
        done += answer[0] == "done"
        answers.append(answer)
    for worker in workers:
        worker.join(timeout=60)

    assert [a for a in answers if a[0] == "error"] == []
    saved = [a for a in answers if a[0] == "saved"]
    assert len(saved) == PROCESSES * PER_PROCESS
    db.session.rollback()
    revisions = db.session.scalars(select(NoteRevision).order_by(NoteRevision.number)).all()
    assert [r.number for r in revisions] == list(range(1, len(saved) + 2))
    assert {number: body for _, number, body in saved} == {r.number: r.body for r in revisions[1:]}
    for _, _, body in saved:  # each save built on the one before it: nothing overwritten
        assert body.split("\n")[-1] in revisions[-1].body
