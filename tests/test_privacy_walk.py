"""Nothing about a person leaks: every page and endpoint of the app, walked as a stranger, an
anonymous visitor, a blocked person, a declined requester and a plain fellow attendee.

Alice's profile, thread, meeting and the report she filed carry unique markers. Each visitor
gets a list of markers that must appear nowhere in anything they are served (HTML, attributes,
JSON, feeds, error pages); positive controls prove the markers do show to the right people.
"""

from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import (
    Block,
    Dismissal,
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Membership,
    Message,
    Offer,
    Report,
    Role,
    Seek,
    Visibility,
)

NAME = "Zebrafinch"
PROFILE = ["Orgmarker-Q7", "Biomarker-K3"]
CONTACT = ["alice-secret@contact.test", "+31 6 5555 0199", "alice-links.example"]
PRIVATE = ["Threadmarker-M9", "Meetingnote-N4", "Reportmarker-R2"]
OTHERS = ["Hiddenmarker", "Onlyconnections"]

# What each visitor must never be served.
FORBIDDEN = {
    "anonymous": [NAME, *PROFILE, *CONTACT, *PRIVATE, *OTHERS],
    "stranger": [NAME, *PROFILE, *CONTACT, *PRIVATE, *OTHERS],
    "blocked": [NAME, *PROFILE, *CONTACT, *PRIVATE, *OTHERS],
    "declined": [*CONTACT, *PRIVATE, *OTHERS],
    "member": [*CONTACT, *PRIVATE, *OTHERS],
}
AREAS = ("people.", "introductions.", "meetings.")
TABLES = (Introduction, Message, Meeting, Block, Report, Dismissal, Membership)


def _person(make, conference, name, *, visibility=Visibility.LISTED, role=Role.ATTENDEE):
    user = make.user(name=name)
    membership = make.member(user, conference, role)
    membership.visibility = visibility
    return user


@pytest.fixture
def scene(make):
    conference = make.conference("walk", name="Walk Conference")
    elsewhere = make.conference("elsewhere", name="Elsewhere")
    talk = make.item(conference, title="Opening", starts_at=datetime(2027, 3, 26, 8, tzinfo=UTC))
    make.publish(conference)
    alice = _person(make, conference, f"Alice {NAME}")
    make.profile(
        alice,
        organization=PROFILE[0],
        bio=PROFILE[1],
        specialty="Cardiology",
        contact_email=CONTACT[0],
        phone=CONTACT[1],
        links=f"https://{CONTACT[2]}/me",
        offers=(Offer.MENTORING,),
        seeks=(Seek.COLLABORATORS,),
    )
    people = {
        "carol": _person(make, conference, "Carol Connected"),
        "dave": _person(make, conference, "Dave Declined"),
        "bob": _person(make, conference, "Bob Blocked"),
        "mia": _person(make, conference, "Mia Member"),
        "olga": _person(make, conference, "Olga Organizer", role=Role.ORGANIZER),
        "sam": make.user(name="Sam Stranger"),
    }
    make.member(people["sam"], elsewhere)
    for name, seeks in (("dave", (Seek.MENTOR,)), ("mia", (Seek.MENTOR,)), ("bob", ())):
        make.profile(people[name], specialty="Cardiology", seeks=seeks)
    _person(make, conference, "Hannah Hiddenmarker", visibility=Visibility.HIDDEN)
    _person(make, conference, "Connie Onlyconnections", visibility=Visibility.CONNECTIONS)
    connection = make.introduction(conference, alice, people["carol"])
    db.session.add(Message(introduction_id=connection.id, sender_id=alice.id, body=PRIVATE[0]))
    make.introduction(
        conference, people["dave"], alice, status=IntroductionStatus.DECLINED, by=people["dave"]
    )
    point = MeetingPoint(conference_id=conference.id, name="Lounge")
    db.session.add(point)
    db.session.flush()
    starts = datetime(2027, 3, 26, 12, tzinfo=UTC)
    meeting = Meeting(
        conference_id=conference.id,
        introduction_id=connection.id,
        host_id=alice.id,
        guest_id=people["carol"].id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        meeting_point_id=point.id,
        note=PRIVATE[1],
        status=MeetingStatus.ACCEPTED,
    )
    db.session.add(meeting)
    db.session.add(Block(blocker_id=alice.id, blocked_id=people["bob"].id))
    report = Report(
        conference_id=conference.id, reporter_id=alice.id, subject_id=people["mia"].id,
        reason=PRIVATE[2],
    )  # fmt: skip
    db.session.add(report)
    db.session.flush()
    ids = {
        "slug": ["walk"],
        "user_id": [alice.id],
        "intro_id": [i.id for i in db.session.scalars(select(Introduction))],
        "meeting_id": [meeting.id],
        "report_id": [report.id],
        "point_id": [point.id],
        "item_id": [talk.id],
    }
    db.session.commit()
    return alice, people, ids


def _urls(app, ids, methods):
    """Every URL of the app whose arguments the scene can fill, for the given methods."""
    for rule in app.url_map.iter_rules():
        if not set(methods) & (rule.methods or set()) or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= set(ids):
            continue
        combos = [{}]
        for arg in rule.arguments:
            combos = [{**c, arg: value} for c in combos for value in ids[arg]]
        for values in combos:
            yield rule, rule.build(values, append_unknown=False)[1]


def _client(app, user):
    client = app.test_client()
    if user is not None:
        data = {"email": user.email, "password": "correct horse battery"}
        response = client.post("/log-in", data={**data, "csrf_token": csrf(client)})
        assert response.status_code == 302
    return client


def _visitors(app, people):
    return {
        "anonymous": _client(app, None),
        "stranger": _client(app, people["sam"]),
        "blocked": _client(app, people["bob"]),
        "declined": _client(app, people["dave"]),
        "member": _client(app, people["mia"]),
    }


def _leaks(response, forbidden):
    served = response.get_data() + str(response.headers).encode()
    return [marker for marker in forbidden if marker.encode() in served]


def test_no_get_of_any_page_leaks_to_anyone(app, scene):
    alice, people, ids = scene
    walked = 0
    for who, client in _visitors(app, people).items():
        for _rule, url in _urls(app, ids, {"GET"}):
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            assert not _leaks(response, FORBIDDEN[who]), (who, url)
            walked += 1
    assert walked > 5 * 40  # the walk really covered the app, not a handful of pages


def _posts(app, ids, who):
    """Outsiders try every POST of the people areas; the blocked person (a member, free to act
    on their own things) tries every one aimed at Alice or her introductions and meetings."""
    aimed = {"user_id", "intro_id", "meeting_id", "report_id", "point_id"}
    for rule, url in _urls(app, ids, {"POST"}):
        if rule.endpoint.startswith(AREAS) and (who != "blocked" or aimed & set(rule.arguments)):
            yield url


def test_no_post_by_an_outsider_changes_or_reveals_anything(app, scene):
    alice, people, ids = scene
    before = {table: db.session.scalar(select(func.count()).select_from(table)) for table in TABLES}
    visitors = _visitors(app, people)
    tried = 0
    for who in ("anonymous", "stranger", "blocked"):
        client = visitors[who]
        token = csrf(client, "/log-in" if who == "anonymous" else "/account/profile")
        for url in _posts(app, ids, who):
            data = {"csrf_token": token, "message": "hi", "body": "hi", "reason": "spam"}
            response = client.post(url, data=data)
            assert response.status_code in (302, 400, 403, 404), (who, url, response.status_code)
            if who == "anonymous":
                assert "/log-in" in response.headers["Location"], url
            assert not _leaks(response, FORBIDDEN[who]), (who, url)
            tried += 1
    assert tried > 3 * 10
    db.session.expire_all()
    after = {table: db.session.scalar(select(func.count()).select_from(table)) for table in TABLES}
    assert after == before


def test_a_declined_requester_cannot_ask_again_or_reach_the_thread(app, scene):
    alice, people, ids = scene
    client = _visitors(app, people)["declined"]
    token = csrf(client, "/account/profile")
    response = client.post(
        f"/c/walk/introductions/ask/{alice.id}",
        data={"csrf_token": token, "message": "Please, again"},
        follow_redirects=True,
    )
    assert response.status_code in (200, 400, 409)
    assert "not available" in response.get_data(as_text=True)
    live = (
        select(func.count()).select_from(Introduction).filter_by(status=IntroductionStatus.PENDING)
    )
    assert db.session.scalar(live) == 0


def test_the_markers_do_show_to_the_people_entitled_to_them(app, scene):
    """Positive controls: without them the walks above could pass by showing nothing at all."""
    alice, people, ids = scene
    carol = _client(app, people["carol"])
    connection = next(
        i for i in ids["intro_id"] if db.session.get(Introduction, i).status == "accepted"
    )
    page = carol.get(f"/c/walk/introductions/{connection}").get_data(as_text=True)
    assert all(marker in page for marker in [*CONTACT, PRIVATE[0]])
    assert PRIVATE[1] in carol.get("/c/walk/meetings").get_data(as_text=True)
    mia = _client(app, people["mia"])
    assert NAME in mia.get("/c/walk/people").get_data(as_text=True)
    assert PROFILE[1] in mia.get(f"/c/walk/people/{alice.id}").get_data(as_text=True)
    olga = _client(app, people["olga"])
    assert PRIVATE[2] in olga.get("/c/walk/introductions/reports").get_data(as_text=True)
