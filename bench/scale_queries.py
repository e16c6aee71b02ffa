"""SQL statements per request, counted in-process without touching the app.

After the load, ``create_app`` opens the same database; the Flask test client logs in as two of
the attendees the load generator used and requests every endpoint of the scale scenario once to
warm up, then once counted (a ``before_cursor_execute`` listener on the engine). Two attendees
with different data show whether the count is fixed or grows with the data.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from bench.load import LoadError
from bench.scale_endpoints import LABELS
from bench.scale_seed import ScaleData
from confnet import create_app
from confnet.extensions import db

EXPECTED = {"feed-304": 304, "note-save": 302}  # the rest answer 200
_VERSION = re.compile(r'name="version"[^>]*?value="(\d+)"')


def count_queries(
    uri: str, secret: str, data: ScaleData, keys: list[str] | None = None
) -> dict[str, list[int]]:
    """``{endpoint key: [queries for attendee 0, for attendee 1]}`` for ``keys`` (default:
    every endpoint)."""
    keys = keys or list(LABELS)
    counts: dict[str, list[int]] = {key: [] for key in keys}
    with in_process(uri, secret) as (app, engine):
        for n in (0, 1):
            client = app.test_client()
            form = {"email": data.emails[n], "password": data.password}
            response = client.post("/log-in", data=form)
            if response.status_code != 302:
                raise LoadError(f"in-process log-in answered {response.status_code}")
            for key in keys:
                _prepared(data, n, key, client)()  # warm-up: caches, a feed's first version
                request = _prepared(data, n, key, client)  # its preparation is not counted
                counts[key].append(counted(engine, key, request, EXPECTED.get(key, 200)))
    return counts


@contextmanager
def in_process(uri: str, secret: str):
    """``(app, engine)`` on the benchmark's database for the test client (CSRF off); the
    engine's connections are closed afterwards, before the database is dropped."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": secret, "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        engine = db.engine
    try:
        yield app, engine
    finally:
        engine.dispose()


def counted(engine, name: str, request, expected: int) -> int:
    """The SQL statements ``request()`` ran on ``engine``; raises unless it answered
    ``expected`` (counting an error page would be meaningless)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        status = request().status_code
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if status != expected:
        raise LoadError(f"in-process {name} answered {status}, not {expected}")
    return len(statements)


def _prepared(data: ScaleData, n: int, key: str, client):
    """A function making the endpoint's request as attendee ``n``, anything it needs first
    (a feed's ETag, the note's version) already fetched."""
    base = f"/c/{data.slug}"
    feed = f"/feeds/{data.feed_tokens[n]}.ics"
    note = f"{base}/sessions/{data.note_item_ids[n]}/notes"
    paths = {
        "schedule-day": f"{base}/schedule?day={data.days[n]}",
        "session": f"{base}/sessions/{data.item_ids[1 + n * 7]}",  # two talks
        "agenda": f"{base}/agenda",
        "feed-200": feed,
        "conference-feed": f"{base}/schedule.ics",
        "schedule-json": f"{base}/schedule.json",
        "directory": f"{base}/people?q=cardiology",
        "suggestions": f"{base}/people/suggestions",
        "note": note,
    }
    if key in paths:
        return lambda: client.get(paths[key])
    if key == "feed-304":
        etag = client.get(feed).headers["ETag"]
        return lambda: client.get(feed, headers={"If-None-Match": etag})
    if key == "note-save":
        version = _VERSION.search(client.get(f"{note}?edit=1").get_data(as_text=True)).group(1)
        body = f"Counted save after revision {version}"
        return lambda: client.post(note, data={"body": body, "version": version})
    raise KeyError(key)
