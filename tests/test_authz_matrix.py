"""The authorization matrix: every route of the URL map, walked as each kind of visitor, answers
what tests/authz_matrix.py says. A new route fails here until it is put in an access level.

Two conferences are seeded so that every URL argument names a real object of the target
conference (sessions, a workshop with seats, rooms, tracks, a membership, introductions,
meetings, meeting points, a report, note revisions, a feed token, a reset token). Each role
walks every route with every method it accepts but HEAD and OPTIONS: GETs first, then the other
methods (with a valid CSRF token and an otherwise empty form: this is about who gets in, not
validation), the ones that change what later requests see last (``authz_matrix.LAST``). Each
role gets freshly seeded data.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from authz_matrix import ENDS_SESSION, GONE, LAST, LOGIN, NO, OK, ROLES, expected
from factories import Factories
from helpers import csrf

from confnet.auth.services import request_password_reset
from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import services as feeds
from confnet.feeds.views import feed_secret
from confnet.mail import get_mailer
from confnet.models import (
    Block,
    IntroductionStatus,
    ItemKind,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Message,
    PublishedItem,
    Report,
    Role,
    Seat,
    SeatStatus,
    Speaker,
)
from confnet.notes.services import save_shared_note

SLUG, ELSEWHERE = "target", "elsewhere"
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask itself, from GET and the URL map


@dataclass
class World:
    """The seeded conferences: who plays each role, and what each URL argument names."""

    users: dict = field(default_factory=dict)  # {role: user, None for anonymous}
    args: dict = field(default_factory=dict)  # {argument: value}, for every endpoint
    by_endpoint: dict = field(default_factory=dict)  # {endpoint: {argument: value}}
    query: dict = field(default_factory=dict)  # {endpoint: query string}

    def use(self, endpoints, **values) -> None:
        for endpoint in endpoints:
            self.by_endpoint.setdefault(endpoint, {}).update(values)

    def url(self, app, rule, slug: str = SLUG) -> str:
        values = {**self.args, "slug": slug, **self.by_endpoint.get(rule.endpoint, {})}
        with app.test_request_context():
            path = rule.build({name: values[name] for name in rule.arguments})[1]
        return path + self.query.get(rule.endpoint, "")


def _person(make, conference, role=Role.ATTENDEE):
    user = make.user()
    make.member(user, conference, role)
    return user


def _seed_people(make, world: World, target, elsewhere) -> dict:
    """The seven roles, and the other people of the target conference: the attendee's
    connection (peer), people in pending introductions, someone blocked, someone reported,
    and mia, the listed member the people routes are about."""
    world.users = {
        "anonymous": None,
        "stranger": _person(make, elsewhere),
        "attendee": _person(make, target),
        "speaker": _person(make, target, Role.SPEAKER),
        "other_organizer": _person(make, elsewhere, Role.ORGANIZER),
        "organizer": _person(make, target, Role.ORGANIZER),
        "admin": make.user(admin=True),
    }
    names = ("peer", "asker", "decliner", "askee", "blocked", "reported", "mia")
    people = {name: _person(make, target) for name in names}
    make.profile(people["mia"], specialty="Cardiology")
    membership = next(m for m in people["mia"].memberships if m.conference_id == target.id)
    world.args.update(user_id=people["mia"].id, membership_id=membership.id)
    return people


def _seed_programme(make, world: World, target, people: dict) -> tuple[datetime, int]:
    """Rooms, tracks, a talk given by the speaker, a workshop (its one seat taken, the
    attendee and another person waiting), a draft-only session, three revisions of the talk's
    shared notes. Returns the first morning and the workshop."""
    room, spare_room = make.room(target), make.room(target, "Spare room")
    track, spare_track = make.track(target), make.track(target, "Spare track")
    nine = datetime.combine(target.starts_on, time(9), UTC)
    talk = make.item(target, title="Opening", starts_at=nine, room_id=room.id, track_id=track.id)
    speaker = world.users["speaker"]
    talk.speakers.append(Speaker(conference_id=target.id, name=speaker.name, user_id=speaker.id))
    workshop = make.item(
        target,
        kind=ItemKind.WORKSHOP,
        capacity=1,
        signup_required=True,
        starts_at=nine + timedelta(hours=2),
        seats_taken=1,
    )
    make.publish(target)
    draft = make.item(target, title="Draft only", starts_at=nine + timedelta(hours=4))
    seated = Seat(item_id=workshop.id, user_id=people["peer"].id, status=SeatStatus.CONFIRMED)
    waiting, mine = (
        Seat(item_id=workshop.id, user_id=user.id, status=SeatStatus.WAITLISTED, rank=rank)
        for rank, user in enumerate((people["asker"], world.users["attendee"]), start=1)
    )
    db.session.add_all([seated, waiting, mine])
    published = db.session.get(PublishedItem, talk.id)
    for number, author in enumerate((world.users["attendee"], people["peer"], speaker)):
        save_shared_note(published, author, f"Revision {number + 1}", base=number, now=utcnow())
    db.session.flush()
    world.args.update(item_id=talk.id, room_id=room.id, track_id=track.id, number=1)
    world.args.update(seat_id=seated.id)
    world.use(["programme.delete_room"], room_id=spare_room.id)
    world.use(["programme.delete_track"], track_id=spare_track.id)
    changes = ("delete_session", "cancel_session", "restore_session")
    world.use([f"programme.{endpoint}" for endpoint in changes], item_id=draft.id)
    world.use(["workshops.promote"], seat_id=waiting.id)
    world.use(["notes.hide"], number=3)
    world.query["notes.diff"] = "?a=1&b=3"
    return nine, workshop.id


def _meeting(connection, host, guest, starts: datetime, point) -> int:
    """A meeting ``host`` proposed to ``guest``, waiting for the guest's answer."""
    meeting = Meeting(
        conference_id=connection.conference_id,
        introduction_id=connection.id,
        host_id=host.id,
        guest_id=guest.id,
        awaiting_id=guest.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        meeting_point_id=point.id,
        status=MeetingStatus.PROPOSED,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting.id


def _seed_networking(make, world: World, target, people: dict, day: datetime) -> None:
    """The attendee's connection with peer (a message, four meetings peer proposed), three
    pending introductions (to accept, to decline, to withdraw), a block, meeting points, and
    a report about somebody."""
    me, peer = world.users["attendee"], people["peer"]
    connection = make.introduction(target, me, peer)
    db.session.add(Message(introduction_id=connection.id, sender_id=peer.id, body="Hello"))
    pending = IntroductionStatus.PENDING
    asker, decliner = people["asker"], people["decliner"]
    to_accept = make.introduction(target, asker, me, status=pending, by=asker)
    to_decline = make.introduction(target, decliner, me, status=pending, by=decliner)
    to_withdraw = make.introduction(target, me, people["askee"], status=pending, by=me)
    point = MeetingPoint(conference_id=target.id, name="Lounge")
    spare_point = MeetingPoint(conference_id=target.id, name="Terrace")
    report = Report(
        conference_id=target.id,
        reporter_id=peer.id,
        subject_id=people["reported"].id,
        reason="Spam",
    )
    db.session.add_all([point, spare_point, report])
    db.session.add(Block(blocker_id=me.id, blocked_id=people["blocked"].id))
    db.session.flush()
    world.args.update(intro_id=connection.id, point_id=spare_point.id, report_id=report.id)
    world.use(["introductions.unblock_person"], user_id=people["blocked"].id)
    world.use(["introductions.accept_introduction"], intro_id=to_accept.id)
    world.use(["introductions.decline_introduction"], intro_id=to_decline.id)
    world.use(["introductions.withdraw_introduction"], intro_id=to_withdraw.id)
    # One meeting per answer, so that answering one leaves the others waiting; cancel_meeting
    # takes the default one.
    routes = (None, "meetings.accept_meeting", "meetings.decline_meeting", "meetings.propose_time")
    for hours, endpoint in enumerate(routes):
        meeting_id = _meeting(connection, peer, me, day + timedelta(days=1, hours=hours), point)
        if endpoint is None:
            world.args["meeting_id"] = meeting_id
        else:
            world.use([endpoint], meeting_id=meeting_id)


def _seed_secrets(app, world: World) -> None:
    """The attendee's calendar feed and a password reset link: capability URLs."""
    me = world.users["attendee"]
    feed = feeds.turn_on_feed(me, secret=feed_secret(), now=utcnow())
    world.use(["feeds.personal"], token=feeds.token_of(feed, feed_secret()))
    tokens: list[str] = []
    request_password_reset(
        me.email,
        "192.0.2.1",
        secret_key=app.secret_key,
        link=lambda token: tokens.append(token) or token,
        mailer=get_mailer(),
    )
    world.use(["auth.reset"], token=tokens[0])


def seed(app, make) -> World:
    """The target conference with something behind every URL argument, and another one."""
    world = World(args={"filename": "css/app.css", "fmt": "json", "kind": "page"})
    start = utcnow().date() + timedelta(days=10)
    target = make.conference(SLUG, starts_on=start)
    elsewhere = make.conference(ELSEWHERE, starts_on=start)
    make.room(elsewhere, "Their hall")
    people = _seed_people(make, world, target, elsewhere)
    day, workshop_id = _seed_programme(make, world, target, people)
    _seed_networking(make, world, target, people, day)
    _seed_secrets(app, world)
    workshop_routes = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("workshops.") and "item_id" in rule.arguments
    ]
    world.use(workshop_routes, item_id=workshop_id)
    db.session.commit()
    return world


def _log_in(app, user):
    """A client logged in as ``user`` through the real form (None: anonymous), and a CSRF token
    valid for its session."""
    client = app.test_client()
    if user is None:
        return client, csrf(client)
    data = {"email": user.email, "password": Factories.PASSWORD, "csrf_token": csrf(client)}
    assert client.post("/log-in", data=data).status_code == 302
    return client, csrf(client, "/account/profile")


def answer(response) -> str:
    """What a response says about access: ok, login, 403 or 404 (anything else is a failure)."""
    status = response.status_code
    if status in (401, 403):
        return NO
    if status == 404:
        return GONE
    if status in (405, 415) or status >= 500:
        return f"broken ({status})"
    if b"This form was open too long" in response.data:
        return "CSRF refused"  # the walk's token failed: nothing was learnt about access
    if 300 <= status < 400 and urlsplit(response.location).path == "/log-in":
        return LOGIN
    return OK


def _methods(rule) -> list[str]:
    return sorted(rule.methods - IGNORED_METHODS, key=lambda method: method != "GET")


def _send(client, method: str, url: str, token: str):
    data = None if method == "GET" else {"csrf_token": token}
    return client.open(url, method=method, data=data)


def _requests(app, world: World) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every rule and method: GETs, the others, then ``LAST``."""
    gets, others, last = [], [], {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule)):
        url = world.url(app, rule)
        for method in _methods(rule):
            if method == "GET":
                gets.append((rule.endpoint, method, url))
            elif rule.endpoint in LAST:
                last.setdefault(rule.endpoint, []).append((rule.endpoint, method, url))
            else:
                others.append((rule.endpoint, method, url))
    return [*gets, *others, *(request for endpoint in LAST for request in last[endpoint])]


def test_every_route_of_the_app_is_in_the_matrix(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    table = expected()
    missing, stale = sorted(routes - set(table)), sorted(set(table) - routes)
    assert not missing, f"routes missing from tests/authz_matrix.py: {missing}"
    assert not stale, f"tests/authz_matrix.py names routes that no longer exist: {stale}"
    changing = {r.endpoint for r in app.url_map.iter_rules() if set(_methods(r)) - {"GET"}}
    assert set(LAST) <= changing


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(app, make, role):
    world = seed(app, make)
    table = expected()
    user = world.users[role]
    client, token = _log_in(app, user)
    wrong = []
    for endpoint, method, url in _requests(app, world):
        got, want = answer(_send(client, method, url, token)), table[endpoint][role]
        if got != want:
            wrong.append(f"{method} {url} ({endpoint}): expected {want}, got {got}")
        if endpoint in ENDS_SESSION and user is not None:
            client, token = _log_in(app, user)
    summary = f"{len(wrong)} answers to {role} differ from tests/authz_matrix.py:"
    assert not wrong, "\n".join([summary, *wrong])


def test_objects_of_one_conference_are_not_found_through_another(app, make):
    """The other conference's organizer passes every check of their own conference, so only
    the object look-up stands between them and the target's objects: all 404."""
    world = seed(app, make)
    client, token = _log_in(app, world.users["other_organizer"])
    wrong, tried = [], 0
    for rule in app.url_map.iter_rules():
        ids = [name for name in rule.arguments if name.endswith("_id") or name == "number"]
        if "slug" not in rule.arguments or not ids:
            continue
        url = world.url(app, rule, slug=ELSEWHERE)
        for method in _methods(rule):
            got = answer(_send(client, method, url, token))
            tried += 1
            if got != GONE:
                wrong.append(f"{method} {url} ({rule.endpoint}): expected 404, got {got}")
    assert not wrong, "\n".join(wrong)
    assert tried > 50
    their_room = client.get("/c/elsewhere/manage/rooms")  # their own conference still opens
    assert answer(their_room) == OK and "Their hall" in their_room.get_data(as_text=True)
