"""Helpers shared by tests (fixtures live in conftest.py)."""

import re
from contextlib import contextmanager

from sqlalchemy import event

from confnet.extensions import db


def app_config(uri: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret-key",
        "SERVER_NAME": "confnet.test",
        "RATE_LIMITS": False,  # tests/test_limits.py turns the limits on
        **extra,
    }


def csrf(client, path: str = "/log-in") -> str:
    """A CSRF token valid for ``client``'s session, read from a real page."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@contextmanager
def counting_queries():
    """Collect every SQL statement sent to the database while the block runs."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
