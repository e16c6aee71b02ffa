"""Site administration pages."""

from sqlalchemy import select

from confnet.extensions import db
from confnet.models import Conference, Membership, OutboxMessage, Role

FORM = {
    "slug": "neuro-27",
    "name": "Neuro 2027",
    "starts_on": "2027-09-01",
    "ends_on": "2027-09-03",
    "timezone": "America/New_York",
    "venue": "Javits",
    "city": "New York",
    "tagline": "",
    "description": "",
    "organizer_email": "",
}


def test_site_admin_creates_a_conference_with_an_organizer(client, make, login, post):
    login(make.user(admin=True))
    organizer = make.user("chair@example.org")
    response = post("/admin/conferences/new", {**FORM, "organizer_email": "chair@example.org"})
    assert response.status_code == 302 and response.location.endswith("/c/neuro-27/")
    conference = db.session.scalar(select(Conference).filter_by(slug="neuro-27"))
    assert conference.timezone == "America/New_York"
    membership = db.session.scalar(select(Membership).filter_by(user_id=organizer.id))
    assert membership.role is Role.ORGANIZER


def test_bad_conference_input_rerenders_with_messages_and_saves_nothing(client, make, login, post):
    login(make.user(admin=True))
    make.conference("taken")
    cases = [
        ({"slug": "Has Spaces"}, "Lower-case letters"),
        ({"slug": "taken"}, "is taken"),
        ({"ends_on": "2027-08-01"}, "can&#39;t be before the first day"),
        ({"starts_on": "not a date"}, "Not a valid date"),
        ({"organizer_email": "nobody@example.org"}, "No account uses this address"),
        ({"name": "x" * 500}, "Field cannot be longer"),
    ]
    for change, message in cases:
        response = post("/admin/conferences/new", {**FORM, **change})
        assert response.status_code == 200, change
        assert message in response.get_data(as_text=True), change
    assert db.session.scalar(select(Conference).filter_by(slug="neuro-27")) is None


def test_admin_pages_are_for_site_admins_only(client, make, login):
    assert client.get("/admin/").status_code == 302  # to log in
    login(make.user())
    for path in ["/admin/", "/admin/conferences/new", "/admin/outbox"]:
        assert client.get(path).status_code == 403


def test_outbox_shows_mail_to_the_admin(client, make, login):
    db.session.add(
        OutboxMessage(
            recipient="x@example.org", subject="Reset your password", body="Open <this link>"
        )
    )
    login(make.user(admin=True))
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "Reset your password" in html and "Open &lt;this link&gt;" in html
