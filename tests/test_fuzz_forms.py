"""Hostile input everywhere: hypothesis posts random and hostile values (oversized text, unicode
edge cases, null bytes, HTML and script, wrong types, ids that don't exist) to every POST route
of the app (taken from the URL map, so a new route is fuzzed too) and to its JSON endpoints, as
an organizer and as an attendee of the demo conference. No answer may be a 5xx, and an answer
that refuses (4xx) must leave the database exactly as it was: no partial writes."""

import hashlib
import json

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from confnet.extensions import db
from confnet.models import (
    Introduction,
    Meeting,
    MeetingPoint,
    Membership,
    Report,
    Room,
    ScheduleItem,
    Seat,
    Track,
    User,
)

SLUG = "medconnect-2027"
# Routes without input (they only log out); everything else with a POST is fuzzed.
NO_INPUT = {"auth.log_out", "auth.log_out_everywhere"}
# Tables a refused request may still write: failed log-ins and reset requests are recorded
# (that is how throttling works).
MAY_CHANGE_ON_REFUSAL = {"auth_events"}
IDS = {
    "item_id": ScheduleItem.id,
    "membership_id": Membership.id,
    "room_id": Room.id,
    "track_id": Track.id,
    "seat_id": Seat.id,
    "intro_id": Introduction.id,
    "meeting_id": Meeting.id,
    "point_id": MeetingPoint.id,
    "report_id": Report.id,
    "user_id": User.id,
}

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "javascript:alert(1)",
            "' OR 1=1 --",
            "\u202e\u0000\ufeff\U0001f4a9",
            "9" * 40,
            "-1",
            "1e309",
            "NaN",
            "2027-02-30",
            "2027-03-26T25:61",
            "../../etc/passwd",
            "x" * 100_000,
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


def _form_fields() -> list[str]:
    names, stack = set(), list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        names.update(n for n in dir(form) if isinstance(getattr(form, n, None), UnboundField))
    return sorted(names)


def _digest() -> str:
    """Every row of every table (but those a refusal may write), as one hash."""
    hasher = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in MAY_CHANGE_ON_REFUSAL:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(select(table).order_by(*order)):
            hasher.update(repr(tuple(row)).encode())
    return hasher.hexdigest()


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in NO_INPUT
    ]
    ids = {name: list(db.session.scalars(select(column).limit(40))) for name, column in IDS.items()}
    return rules, ids, _form_fields()


def _logged_in(app, email: str):
    client = app.test_client()
    response = client.post("/log-in", data={"email": email, "password": _password(email)})
    assert response.status_code == 302
    return client


def _password(email: str) -> str:
    return "demo-organizer-2027" if email.startswith("organizer") else "demo-attendee-2027"


def _url(rule, ids: dict, draw) -> str:
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = draw(st.sampled_from([SLUG, SLUG, "no-such-conference"]))
        elif name in ids and ids[name]:
            values[name] = draw(st.sampled_from(ids[name]) | st.integers(0, 2**31 - 1))
        elif name == "token":
            values[name] = draw(st.text(alphabet="abcdefABCDEF0123456789.-_", max_size=80))
        else:
            values[name] = draw(st.integers(0, 2**31 - 1))
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:  # noqa: BLE001 (a value the converter refuses: the route's own rules)
        return rule.rule


def _fuzz(app, demo, email: str, examples: int):
    rules, ids, fields = demo
    app.config["WTF_CSRF_ENABLED"] = False  # past CSRF (tested elsewhere) to the validation
    client = _logged_in(app, email)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def one_request(data):
        rule = data.draw(st.sampled_from(rules))
        path = _url(rule, ids, data.draw)
        before = _digest()
        if data.draw(st.booleans()):
            form = data.draw(st.dictionaries(st.sampled_from(fields), HOSTILE, max_size=6))
            response = client.post(path, data=form)
        else:
            body = data.draw(JSON)
            headers = {"Accept": "application/json"}
            response = client.post(
                path, data=json.dumps(body), content_type="application/json", headers=headers
            )
        assert response.status_code < 500, (path, response.status_code)
        if 400 <= response.status_code < 500:
            assert _digest() == before, f"{path} answered {response.status_code} but wrote"
        db.session.rollback()

    try:
        one_request()
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_hostile_posts_as_an_organizer_never_break_or_half_write(app, demo):
    _fuzz(app, demo, "organizer@confnet.test", examples=150)


def test_hostile_posts_as_an_attendee_never_break_or_half_write(app, demo):
    _fuzz(app, demo, "lotte.van.dijk@confnet.test", examples=150)
