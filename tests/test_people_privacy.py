"""Who sees whom: every visibility (listed, connections only, hidden, hidden by the organizers,
blocked either way, another conference's member) as seen by a member, a connection, an
organizer, a site admin, a non-member and an anonymous visitor. Hidden people are 404, exactly
like people who don't exist; a profile's words never leak through the directory or suggestions.
"""

from datetime import UTC, datetime

import pytest
from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import Block, Dismissal, Offer, Role, Seek, Visibility

SUBJECTS = (
    "listed",
    "connections",
    "hidden",
    "organizer_hidden",
    "blocked_by_viewer",
    "blocker_of_viewer",
    "blocked_connection",
    "outsider",
)
# The subjects whose page each viewer may open; everything else is 404 (or a login).
CAN_OPEN = {
    "member": {"listed"},
    "connection": {"listed", "connections"},
    "organizer": set(SUBJECTS) - {"outsider"},
    "admin": set(SUBJECTS) - {"outsider"},
    "stranger": set(),
}
# Who each viewer finds in the directory and in suggestions.
LISTED_FOR = {
    "member": {"listed"},
    "connection": {"listed"},
    "organizer": {"listed", "blocked_by_viewer", "blocker_of_viewer", "blocked_connection"},
}


def secret(name: str) -> str:
    return f"Secretword{name.replace('_', '').capitalize()}"


@pytest.fixture
def scene(make):
    conference, elsewhere = make.conference("here"), make.conference("elsewhere")
    viewers = {
        "member": make.user(name="Mona Member"),
        "connection": make.user(name="Conny Connected"),
        "organizer": make.user(name="Olga Organizer"),
        "admin": make.user(name="Ada Admin", admin=True),
        "stranger": make.user(name="Stan Stranger"),
    }
    make.member(viewers["member"], conference)
    make.member(viewers["connection"], conference)
    make.member(viewers["organizer"], conference, Role.ORGANIZER)
    make.member(viewers["stranger"], elsewhere)
    for viewer in viewers.values():
        make.profile(viewer, seeks=(Seek.MENTOR,))
    people = {}
    for name in SUBJECTS:
        person = make.user(name=secret(name))
        membership = make.member(person, elsewhere if name == "outsider" else conference)
        make.profile(person, bio=secret(name), offers=(Offer.MENTORING,), phone="+31 6 1234 5678")
        membership.visibility = {
            "connections": Visibility.CONNECTIONS,
            "hidden": Visibility.HIDDEN,
        }.get(name, Visibility.LISTED)
        if name == "organizer_hidden":
            membership.profile_hidden_at = datetime.now(UTC)
        people[name] = person
    for name in ("connections", "hidden", "organizer_hidden"):
        make.introduction(conference, viewers["connection"], people[name])
    for viewer in ("member", "connection"):
        me = viewers[viewer]
        db.session.add(Block(blocker_id=me.id, blocked_id=people["blocked_by_viewer"].id))
        db.session.add(Block(blocker_id=people["blocker_of_viewer"].id, blocked_id=me.id))
        db.session.add(Block(blocker_id=me.id, blocked_id=people["blocked_connection"].id))
        make.introduction(conference, me, people["blocked_connection"])
    db.session.flush()
    return viewers, people


def client_for(app, user):
    client = app.test_client()
    token = csrf(client)
    response = client.post(
        "/log-in",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("viewer", sorted(CAN_OPEN))
def test_who_can_open_whose_page(app, scene, viewer):
    viewers, people = scene
    client = client_for(app, viewers[viewer])
    for name, person in people.items():
        response = client.get(f"/c/here/people/{person.id}")
        expected = 200 if name in CAN_OPEN[viewer] else 404
        assert response.status_code == expected, (viewer, name)
        body = response.get_data(as_text=True)
        if expected == 404:
            assert secret(name) not in body
        connected = viewer == "connection" and name == "connections"
        assert ("1234 5678" in body) is connected, (viewer, name)  # contact: connections only


@pytest.mark.parametrize("viewer", sorted(LISTED_FOR))
def test_who_is_in_the_directory_and_suggestions(app, scene, viewer):
    viewers, people = scene
    client = client_for(app, viewers[viewer])
    directory = client.get("/c/here/people").get_data(as_text=True)
    suggestions = client.get("/c/here/people/suggestions").get_data(as_text=True)
    for name in SUBJECTS:
        found = name in LISTED_FOR[viewer]
        assert (secret(name) in directory) is found, (viewer, name, "directory")
        assert (secret(name) in suggestions) is found, (viewer, name, "suggestions")
        assert "1234 5678" not in directory + suggestions


def test_strangers_and_admins_outside_the_conference_get_no_directory(app, scene):
    viewers, _ = scene
    for viewer in ("stranger", "admin"):
        client = client_for(app, viewers[viewer])
        for path in ("/c/here/people", "/c/here/people/suggestions", "/c/here/people/visibility"):
            assert client.get(path).status_code == 403, (viewer, path)


def test_anonymous_visitors_are_sent_to_log_in(app, scene):
    _, people = scene
    client = app.test_client()
    paths = ["/c/here/people", "/c/here/people/suggestions", "/c/here/people/visibility"]
    paths += [f"/c/here/people/{person.id}" for person in people.values()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/log-in" in response.headers["Location"], path
    response = client.post(f"/c/here/people/{people['listed'].id}/dismiss")
    assert response.status_code in (302, 400)  # CSRF or login: never a dismissal
    assert db.session.scalar(select(func.count()).select_from(Dismissal)) == 0


def test_a_connection_sees_contact_details_until_blocked(app, scene):
    viewers, people = scene
    client = client_for(app, viewers["connection"])
    page = client.get(f"/c/here/people/{people['connections'].id}").get_data(as_text=True)
    assert "+31 6 1234 5678" in page and secret("connections") in page
    assert client.get(f"/c/here/people/{people['blocked_connection'].id}").status_code == 404


def test_the_organizer_is_offered_an_introduction_only_to_people_they_could_approach(app, scene):
    """Organizers see every profile (to act on reports), but may not use that to approach
    people who chose not to be found: the page offers what the introduction page allows."""
    viewers, people = scene
    client = client_for(app, viewers["organizer"])
    for name in ("listed", "connections", "hidden", "organizer_hidden", "blocked_by_viewer"):
        person = people[name]
        page = client.get(f"/c/here/people/{person.id}").get_data(as_text=True)
        offered = f"/c/here/introductions/ask/{person.id}" in page
        ask = client.get(f"/c/here/introductions/ask/{person.id}")
        assert offered is (name in ("listed", "blocked_by_viewer")), name
        assert (ask.status_code == 200) is offered, name


def test_the_organizer_is_told_why_a_profile_is_not_public(app, scene):
    viewers, people = scene
    client = client_for(app, viewers["organizer"])
    hidden = client.get(f"/c/here/people/{people['organizer_hidden'].id}").get_data(as_text=True)
    assert "Hidden by the organizers" in hidden
    chosen = client.get(f"/c/here/people/{people['hidden'].id}").get_data(as_text=True)
    assert "you see this profile as an organizer" in chosen and "1234 5678" not in chosen
