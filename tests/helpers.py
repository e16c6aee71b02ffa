"""Helpers shared by tests (fixtures live in conftest.py)."""

import re


def app_config(uri: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret-key",
        "SERVER_NAME": "confnet.test",
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
