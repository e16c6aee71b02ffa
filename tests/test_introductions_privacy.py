"""Nothing about a person leaks to someone who should not see it: every page and endpoint of the
app, walked as a stranger, as someone whose request was declined and as a blocked person, in
HTML and in JSON, error pages included."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select
from test_introductions_support import client_for, member, send

from confnet.database import utcnow
from confnet.extensions import db
from confnet.introductions import messages, moderation
from confnet.introductions.notify import silent_teller
from confnet.models import (
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingStatus,
    Message,
    Report,
    Role,
)

NAME = "Anna Geheimnis"
PROFILE = ["Specialty-Zyxw", "Org-Qwvb", "Bio-Plkj", "City-Mnbv"]
CONTACT = ["contact-kjhg@anna.example", "+31 555 0199 77", "https://anna-lnk.example/p"]
SAID = "Msg-from-Anna-Rtyu"
FORM = {"message": "m", "body": "b", "note": "n", "reason": "r", "first": "1", "second": "2"}


@pytest.fixture
def scene(make):
    conference = make.conference("priv", name="Private Conf")
    anna = member(
        make,
        conference,
        NAME,
        specialty=PROFILE[0],
        organization=PROFILE[1],
        bio=PROFILE[2],
        city=PROFILE[3],
        contact_email=CONTACT[0],
        phone=CONTACT[1],
        links=CONTACT[2],
    )
    ben = member(make, conference, "Ben Blocked")
    carl = member(make, conference, "Carl Requester")
    boss = member(make, conference, "Olga Organizer", role=Role.ORGANIZER)
    dora = member(make, conference, "Dora Connected")
    connection = make.introduction(conference, anna, ben)
    kept = make.introduction(conference, anna, dora)
    for intro in (connection, kept):
        messages.post_message(intro, anna, SAID, now=utcnow(), teller=silent_teller())
    declined = make.introduction(conference, carl, anna, status=IntroductionStatus.DECLINED)
    starts = datetime(2027, 3, 27, 10, tzinfo=UTC)
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=connection.id,
        host_id=ben.id,
        guest_id=anna.id,
        awaiting_id=anna.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
    )
    db.session.add(meeting)
    db.session.add(
        Report(conference_id=conference.id, reporter_id=ben.id, subject_id=anna.id, reason="r")
    )
    db.session.flush()
    moderation.block_person(anna, ben, now=utcnow())
    ids = {
        "slug": ["priv"],
        "user_id": [anna.id],
        "intro_id": [connection.id, declined.id, kept.id],
        "report_id": [db.session.scalar(select(Report.id))],
        "meeting_id": [meeting.id],
        "point_id": [1],
        "item_id": [1],
    }
    return {"anna": anna, "ben": ben, "carl": carl, "dora": dora, "boss": boss, "ids": ids}


def urls(app, ids: dict, method: str) -> list[str]:
    """Every route of the app taking only the arguments in ``ids``, filled with each value."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if method not in rule.methods or rule.endpoint == "static":
                continue
            if not set(rule.arguments) <= set(ids):
                continue
            combos = [{}]
            for arg in rule.arguments:
                combos = [{**c, arg: v} for c in combos for v in ids[arg]]
            found += [url_for(rule.endpoint, **c) for c in combos]
    return sorted(set(found))


def readable(response) -> str:
    """The body as text (a zip's files unpacked, binary bytes replaced) plus the headers."""
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            body = "".join(
                archive.read(name).decode(errors="replace") for name in archive.namelist()
            )
    else:
        body = response.data.decode(errors="replace")
    return body + str(response.headers)


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text or s.replace("+", "&#43;") in text]


def walk(app, client, ids, secrets) -> dict[str, list[str]]:
    """GET every page (HTML and JSON), then POST every conference endpoint; returns what leaked
    where, and fails on any 500."""
    found = {}
    for url in urls(app, ids, "GET"):
        for accept in ("text/html", "application/json"):
            response = client.get(url, headers={"Accept": accept}, follow_redirects=True)
            assert response.status_code < 500, url
            if bad := leaks(readable(response), secrets):
                found[f"GET {url} {accept}"] = bad
    for url in urls(app, ids, "POST"):
        if not url.startswith("/c/"):
            continue
        response = send(client, url, FORM, follow_redirects=True)
        assert response.status_code < 500, url
        if bad := leaks(readable(response), secrets):
            found[f"POST {url}"] = bad
    return found


def state() -> tuple:
    db.session.rollback()
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Introduction, Message, Report)
    ]
    statuses = db.session.scalars(select(Introduction.status).order_by(Introduction.id)).all()
    return (*counts, tuple(statuses))


def test_the_walk_covers_the_introduction_endpoints(app, scene):
    gets, posts = urls(app, scene["ids"], "GET"), urls(app, scene["ids"], "POST")
    anna = scene["anna"].id
    assert f"/c/priv/introductions/ask/{anna}" in gets
    assert f"/c/priv/introductions/{scene['ids']['intro_id'][0]}" in gets
    assert f"/c/priv/introductions/block/{anna}" in posts
    assert len([u for u in posts if "/introductions/" in u]) >= 15


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_strangers_learn_nothing(app, make, scene, who):
    client = app.test_client()
    if who == "stranger":
        client = client_for(app, make.user(name="Sam Stranger"), make.PASSWORD)
    before = state()
    assert walk(app, client, scene["ids"], [NAME, *PROFILE, *CONTACT, SAID]) == {}
    assert state() == before


def test_a_declined_requester_sees_no_contact_details(app, make, scene):
    client = client_for(app, scene["carl"], make.PASSWORD)
    before = state()
    assert walk(app, client, scene["ids"], [*CONTACT, SAID, "declined", "Declined"]) == {}
    assert state()[:2] == before[:2]  # no introduction or message slipped in


def test_a_blocked_person_sees_nothing_of_the_blocker(app, make, scene):
    client = client_for(app, scene["ben"], make.PASSWORD)
    before = state()
    assert walk(app, client, scene["ids"], [*PROFILE, *CONTACT, SAID]) == {}
    after = state()
    assert after[0:2] == before[0:2]
    assert db.session.scalar(select(Meeting.status)) is MeetingStatus.CANCELLED


def test_the_walk_would_notice_a_leak(app, make, scene):
    """The same walk, as Anna's remaining connection: the check finds what they may see."""
    client = client_for(app, scene["dora"], make.PASSWORD)
    found = walk(app, client, scene["ids"], [*PROFILE, *CONTACT, SAID])
    assert any(SAID in bad and CONTACT[0] in bad for bad in found.values())
