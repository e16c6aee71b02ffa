"""Conferences and memberships: services, then pages."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from confnet.conferences import services
from confnet.extensions import db
from confnet.models import Conference, Membership, Role, Visibility

DETAILS = {
    "name": "Cardio Days",
    "starts_on": date(2027, 5, 3),
    "ends_on": date(2027, 5, 5),
    "timezone": "Europe/Lisbon",
    "venue": "CCL",
    "city": "Lisbon",
}


def test_create_conference_makes_the_organizer(make):
    organizer = make.user()
    conference = services.create_conference(slug="cardio-27", organizer=organizer, **DETAILS)
    membership = db.session.scalar(select(Membership).filter_by(conference=conference))
    assert membership.user == organizer and membership.role is Role.ORGANIZER


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Bad Slug!"}, "lower-case"),
        ({"ends_on": date(2027, 5, 1)}, "ends before it starts"),
        ({"timezone": "Mars/Olympus"}, "not a known timezone"),
        ({"ends_on": date(2027, 7, 1)}, "at most"),
    ],
)
def test_create_conference_refuses_bad_details(changes, message):
    with pytest.raises(services.ConferenceError, match=message):
        services.create_conference(**{"slug": "ok-slug", **DETAILS, **changes})
    assert db.session.scalar(select(func.count()).select_from(Conference)) == 0


def test_slugs_are_unique(make):
    make.conference("taken")
    with pytest.raises(services.ConferenceError, match="taken"):
        services.create_conference(slug="taken", **DETAILS)


def test_joining_twice_keeps_one_membership(make):
    user, conference = make.user(), make.conference()
    first = services.join_conference(user, conference)
    second = services.join_conference(user, conference)
    assert first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_the_last_organizer_cannot_leave_or_be_demoted(make):
    user, conference = make.user(), make.conference()
    membership = make.member(user, conference, Role.ORGANIZER)
    with pytest.raises(services.ConferenceError, match="only organizer"):
        services.leave_conference(user, conference)
    with pytest.raises(services.ConferenceError, match="at least one organizer"):
        services.set_member_role(conference, membership, Role.ATTENDEE)
    make.member(make.user(), conference, Role.ORGANIZER)
    services.set_member_role(conference, membership, Role.ATTENDEE)
    assert membership.role is Role.ATTENDEE


def test_programme_summary_counts_sessions_per_local_day_across_dst(make):
    # Europe/Amsterdam moves to summer time on Sunday 28 March 2027 at 02:00.
    conference = make.conference(tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)
    make.item(conference, starts_at=datetime(2027, 3, 26, 22, 59, tzinfo=UTC))  # 26th 23:59 CET
    make.item(conference, starts_at=datetime(2027, 3, 27, 23, 30, tzinfo=UTC))  # 28th 00:30 CET
    make.item(conference, starts_at=datetime(2027, 3, 28, 21, 30, tzinfo=UTC))  # 28th 23:30 CEST
    make.item(conference, starts_at=datetime(2027, 3, 28, 22, 30, tzinfo=UTC))  # 29th 00:30 CEST
    make.item(conference, starts_at=datetime(2027, 3, 28, 8, 0, tzinfo=UTC), cancelled=True)
    make.publish(conference)
    summary = services.programme_summary(conference)
    assert summary["days"] == [
        (date(2027, 3, 26), 1),
        (date(2027, 3, 27), 0),
        (date(2027, 3, 28), 2),
    ]


# Pages


def test_conference_home_is_public_and_shows_local_times(client, make):
    conference = make.conference(
        "medconf", name="MedConf", venue="Ahoy", city="Rotterdam", starts_on=date(2099, 3, 26)
    )
    make.item(
        conference, title="Opening keynote", starts_at=datetime(2099, 3, 29, 7, 0, tzinfo=UTC)
    )  # 09:00 CEST
    make.publish(conference)
    make.item(conference, title="Secret draft", starts_at=datetime(2099, 3, 29, 9, 0, tzinfo=UTC))
    html = client.get("/c/medconf/").get_data(as_text=True)
    assert "MedConf" in html and "Ahoy, Rotterdam" in html
    assert "Opening keynote" in html and "09:00" in html
    assert "Secret draft" not in html
    assert "Log in to join" in html


def test_joining_through_the_page(client, make, login, post):
    user, conference = make.user(), make.conference("medconf")
    login(user)
    response = post("/c/medconf/join", page="/c/medconf/")
    assert response.status_code == 302
    assert "You're an attendee" in client.get("/c/medconf/").get_data(as_text=True)
    assert db.session.scalar(
        select(Membership).filter_by(user_id=user.id, conference_id=conference.id)
    )


def test_joining_asks_how_other_attendees_find_you(client, make, login, post):
    user = make.user()
    make.conference("medconf")
    login(user)
    page = client.get("/c/medconf/").get_data(as_text=True)
    assert "How other attendees find you" in page
    assert re.search(r'<input checked[^>]*value="listed"', page)
    response = post("/c/medconf/join", {"visibility": "connections"}, page="/c/medconf/")
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.visibility is Visibility.CONNECTIONS


def test_joining_with_a_made_up_visibility_joins_nobody(client, make, login, post):
    login(make.user())
    make.conference("medconf")
    response = post("/c/medconf/join", {"visibility": "everyone"}, page="/c/medconf/")
    assert response.status_code == 302
    assert db.session.scalar(select(Membership)) is None


def test_join_without_csrf_is_refused_and_changes_nothing(client, make, login):
    login(make.user())
    make.conference("medconf")
    assert client.post("/c/medconf/join").status_code == 400
    assert db.session.scalar(select(Membership)) is None


def test_join_needs_a_login(client, make):
    make.conference("medconf")
    response = client.post("/c/medconf/join")
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(Membership)) is None


def test_unknown_conference_is_404_everywhere(client, make, login):
    login(make.user(admin=True))
    for path in ["/c/nope/", "/c/nope/settings", "/c/nope/members"]:
        assert client.get(path).status_code == 404


def test_only_organizers_and_admins_see_settings_and_people(client, make, login):
    conference = make.conference("medconf")
    attendee, organizer = make.user(), make.user()
    make.member(attendee, conference)
    make.member(organizer, conference, Role.ORGANIZER)
    login(attendee)
    assert client.get("/c/medconf/settings").status_code == 403
    assert client.get("/c/medconf/members").status_code == 403
    assert "Settings" not in client.get("/c/medconf/").get_data(as_text=True)
    client.post(
        "/log-out", data={"csrf_token": __import__("helpers").csrf(client, "/account/profile")}
    )
    login(organizer)
    assert client.get("/c/medconf/settings").status_code == 200
    assert attendee.email in client.get("/c/medconf/members").get_data(as_text=True)


def test_organizer_edits_details_and_bad_dates_rerender(client, make, login, post):
    conference = make.conference("medconf", name="Old name")
    make.member(organizer := make.user(), conference, Role.ORGANIZER)
    login(organizer)
    form = {
        "name": "New name",
        "starts_on": "2027-03-26",
        "ends_on": "2027-03-25",
        "timezone": "Europe/Amsterdam",
        "venue": "",
        "city": "",
        "tagline": "",
        "description": "",
    }
    response = post("/c/medconf/settings", form)
    assert response.status_code == 200
    assert "can&#39;t be before the first day" in response.get_data(as_text=True)
    assert db.session.get(Conference, conference.id).name == "Old name"
    response = post(
        "/c/medconf/settings", {**form, "ends_on": "2027-03-28", "timezone": "Nowhere/X"}
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    response = post("/c/medconf/settings", {**form, "ends_on": "2027-03-28"})
    assert response.status_code == 302
    assert db.session.get(Conference, conference.id).name == "New name"


def test_organizer_gives_roles_by_email(client, make, login, post):
    conference = make.conference("medconf")
    make.member(organizer := make.user(), conference, Role.ORGANIZER)
    colleague = make.user("colleague@example.org")
    login(organizer)
    response = post("/c/medconf/members", {"email": "colleague@example.org", "role": "organizer"})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(user_id=colleague.id))
    assert membership.role is Role.ORGANIZER
    response = post("/c/medconf/members", {"email": "stranger@example.org", "role": "speaker"})
    assert "No account uses" in response.get_data(as_text=True)
    response = post(
        f"/c/medconf/members/{membership.id}/role", {"role": "speaker"}, page="/c/medconf/members"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).role is Role.SPEAKER


def test_roles_cannot_be_changed_across_conferences(client, make, login, post):
    mine, theirs = make.conference("mine"), make.conference("theirs")
    make.member(organizer := make.user(), mine, Role.ORGANIZER)
    victim = make.member(make.user(), theirs, Role.ORGANIZER)
    login(organizer)
    response = post(
        f"/c/mine/members/{victim.id}/role", {"role": "attendee"}, page="/c/mine/members"
    )
    assert response.status_code == 404
    assert (
        post(
            f"/c/theirs/members/{victim.id}/role", {"role": "attendee"}, page="/c/mine/members"
        ).status_code
        == 403
    )


def test_leaving_a_conference(client, make, login, post):
    conference = make.conference("medconf")
    make.member(user := make.user(), conference)
    login(user)
    assert post("/c/medconf/leave", page="/c/medconf/").status_code == 302
    assert db.session.scalar(select(Membership)) is None
    assert post("/c/medconf/leave", page="/c/medconf/").status_code == 403  # not a member now


def test_description_paragraphs_survive_browser_line_endings(client, make, login, post):
    conference = make.conference("medconf")
    make.member(organizer := make.user(), conference, Role.ORGANIZER)
    login(organizer)
    form = {
        "name": "MedConf",
        "starts_on": "2027-03-26",
        "ends_on": "2027-03-28",
        "timezone": "Europe/Amsterdam",
        "venue": "",
        "city": "",
        "tagline": "",
        "description": "First paragraph.\r\n\r\nSecond paragraph.",
    }
    assert post("/c/medconf/settings", form).status_code == 302
    html = client.get("/c/medconf/").get_data(as_text=True)
    assert "<p>First paragraph.</p>" in html and "<p>Second paragraph.</p>" in html


def test_settings_cannot_strand_the_programme(make):
    conference = make.conference(tz="Europe/Amsterdam", starts_on=date(2027, 3, 26), days=3)
    make.item(conference, starts_at=datetime(2027, 3, 28, 8, 0, tzinfo=UTC))
    details = {"name": "X", "venue": "", "city": "", "tagline": "", "description": ""}
    with pytest.raises(services.ConferenceError, match="timezone can't change"):
        services.update_conference(
            conference,
            starts_on=date(2027, 3, 26),
            ends_on=date(2027, 3, 28),
            timezone="Pacific/Auckland",
            **details,
        )
    with pytest.raises(services.ConferenceError, match="1 session"):
        services.update_conference(
            conference,
            starts_on=date(2027, 3, 26),
            ends_on=date(2027, 3, 27),
            timezone="Europe/Amsterdam",
            **details,
        )
    services.update_conference(
        conference,
        starts_on=date(2027, 3, 25),
        ends_on=date(2027, 3, 28),
        timezone="Europe/Amsterdam",
        **details,
    )
    assert conference.starts_on == date(2027, 3, 25)


def test_huge_ids_in_urls_are_404_not_500(client, make, login, post):
    conference = make.conference("medconf")
    make.member(organizer := make.user(), conference, Role.ORGANIZER)
    login(organizer)
    for big in ["99999999999999999999", "2147483648"]:
        response = post(
            f"/c/medconf/members/{big}/role", {"role": "speaker"}, page="/c/medconf/members"
        )
        assert response.status_code == 404


def test_members_can_be_searched_and_demo_addresses_added(client, make, login, post):
    conference = make.conference("medconf")
    make.member(organizer := make.user(name="Olga Organizer"), conference, Role.ORGANIZER)
    make.member(make.user(name="Amara Okafor"), conference)
    make.user("speaker@confnet.test", name="Sam Speaker")
    login(organizer)
    html = client.get("/c/medconf/members?q=amara").get_data(as_text=True)
    assert "<strong>Amara Okafor</strong>" in html and "<strong>Olga Organizer</strong>" not in html
    response = post("/c/medconf/members", {"email": "speaker@confnet.test", "role": "speaker"})
    assert response.status_code == 302
    assert "is now a speaker" in client.get("/c/medconf/members").get_data(as_text=True)
