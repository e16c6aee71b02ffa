"""The people pages through HTTP: directory, suggestions, a person's page, dismissing and
visibility; bad input never breaks a page and never runs as markup."""

import re

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import Dismissal, IntroductionStatus, Membership, Offer, Role, Seek, Visibility

XSS = "<script>alert(1)</script>"


@pytest.fixture
def conf(make):
    return make.conference("medconf", name="MedConf")


@pytest.fixture
def member(make, conf):
    def _member(name, role=Role.ATTENDEE, **profile):
        user = make.user(name=name)
        make.member(user, conf, role)
        if profile:
            make.profile(user, **profile)
        return user

    return _member


@pytest.fixture
def lotte(member):
    return member("Lotte van Dijk", specialty="Cardiology", seeks=(Seek.MENTOR,))


@pytest.fixture
def anna(member):
    return member(
        "Anna Berg",
        specialty="Cardiology",
        organization="Erasmus MC",
        city="Rotterdam",
        country="Netherlands",
        offers=(Offer.MENTORING,),
        contact_email="anna@example.org",
        phone="+31 10 123 4567",
        links="https://orcid.org/0000-0001",
        languages="Dutch, English",
        bio="Cardiologist.",
    )


def html_of(response) -> str:
    return response.get_data(as_text=True)


def test_directory_needs_login_and_membership(client, make, login, conf):
    response = client.get("/c/medconf/people")
    assert response.status_code == 302 and "/log-in" in response.headers["Location"]
    login(make.user())
    assert client.get("/c/medconf/people").status_code == 403
    assert client.get("/c/medconf/people/suggestions").status_code == 403
    assert client.get("/c/medconf/people/visibility").status_code == 403
    assert client.get("/c/nope/people").status_code == 404


def test_directory_lists_people_with_reasons(client, login, lotte, anna, member):
    member("Bob Empty")
    login(lotte)
    html = html_of(client.get("/c/medconf/people"))
    assert "Anna Berg" in html and "Bob Empty" in html and "Lotte van Dijk</strong>" not in html
    assert "Erasmus MC · Rotterdam, Netherlands" in html
    assert "You seek a mentor in cardiology; Anna offers mentoring in cardiology" in html
    assert f'href="/c/medconf/people/{anna.id}"' in html
    assert "Listed in the directory" in html and "/c/medconf/people/visibility" in html
    assert "Your profile is still empty" not in html
    assert "anna@example.org" not in html and "123 4567" not in html  # never in the directory


def test_directory_hints_at_an_empty_profile(client, login, member):
    login(member("New Comer"))
    assert "Your profile is still empty" in html_of(client.get("/c/medconf/people"))


@pytest.mark.parametrize(
    "query",
    [
        "?profession=wizard&career_stage=x&offers=gold&seeks=%3Cscript%3E",
        "?page=abc",
        "?page=99999999999999999999",
        "?page=-3",
        "?q=" + "long" * 500,
        "?q=%25%27%22%3Cscript%3E",
        "?offers=mentoring&offers=hiring",
    ],
)
def test_odd_filters_never_break_the_directory(client, login, lotte, anna, query):
    login(lotte)
    response = client.get("/c/medconf/people" + query)
    assert response.status_code == 200, query
    assert XSS not in html_of(response)


def test_unknown_filters_are_ignored_and_said_so(client, login, lotte, anna):
    login(lotte)
    html = html_of(client.get("/c/medconf/people?profession=wizard&q=anna"))
    assert "We didn't recognise the profession" in html and "Anna Berg" in html
    assert "1 person match" in html


def test_filters_narrow_the_list(client, login, lotte, anna, member):
    member("Carl Seeker", seeks=(Seek.PEERS,))
    login(lotte)
    html = html_of(client.get("/c/medconf/people?offers=mentoring"))
    assert "Anna Berg" in html and "Carl Seeker" not in html
    html = html_of(client.get("/c/medconf/people?seeks=peers&q=carl"))
    assert "Carl Seeker" in html and "Anna Berg" not in html


def test_person_page_shows_the_profile_and_keeps_contact_private(client, login, lotte, anna):
    login(lotte)
    response = client.get(f"/c/medconf/people/{anna.id}")
    html = html_of(response)
    assert response.status_code == 200
    assert "Anna Berg" in html and "Cardiologist." in html and "Mentoring" in html
    assert "Speaks</span> Dutch, English" in html
    assert "You seek a mentor in cardiology; Anna offers mentoring in cardiology" in html
    assert "anna@example.org" not in html and "123 4567" not in html and "orcid" not in html
    assert "Contact details show once" in html


def test_contact_details_show_to_a_connection(client, login, make, conf, lotte, anna):
    make.introduction(conf, lotte, anna, status=IntroductionStatus.ACCEPTED)
    login(lotte)
    html = html_of(client.get(f"/c/medconf/people/{anna.id}"))
    assert 'href="mailto:anna@example.org"' in html
    assert 'href="tel:+31101234567"' in html
    assert 'href="https://orcid.org/0000-0001"' in html


def test_a_pending_introduction_shows_no_contact(client, login, make, conf, lotte, anna):
    make.introduction(conf, lotte, anna, status=IntroductionStatus.PENDING)
    login(lotte)
    assert "anna@example.org" not in html_of(client.get(f"/c/medconf/people/{anna.id}"))


def test_links_to_introductions(client, login, make, conf, lotte, anna):
    login(lotte)
    html = html_of(client.get(f"/c/medconf/people/{anna.id}"))
    assert f"/c/medconf/introductions/ask/{anna.id}" in html
    assert f"/c/medconf/introductions/block/{anna.id}" in html
    assert f"/c/medconf/introductions/report/{anna.id}" in html
    intro = make.introduction(conf, lotte, anna, status=IntroductionStatus.ACCEPTED)
    html = html_of(client.get(f"/c/medconf/people/{anna.id}"))
    assert f"/c/medconf/introductions/{intro.id}" in html
    assert f"/c/medconf/introductions/ask/{anna.id}" not in html


def test_person_page_of_nobody_is_404(client, login, lotte):
    login(lotte)
    assert client.get("/c/medconf/people/999999").status_code == 404
    assert client.get("/c/medconf/people/99999999999").status_code == 404


def test_one_can_see_oneself(client, login, lotte):
    login(lotte)
    html = html_of(client.get(f"/c/medconf/people/{lotte.id}"))
    assert "This is how other people here see your profile" in html


def test_suggestions_page_and_dismissing(client, login, post, lotte, anna):
    login(lotte)
    html = html_of(client.get("/c/medconf/people/suggestions"))
    assert "Anna Berg" in html and "Anna offers mentoring in cardiology" in html
    assert "Don't suggest Anna again" in html
    response = post(f"/c/medconf/people/{anna.id}/dismiss", page="/c/medconf/people/suggestions")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/medconf/people/suggestions")
    html = html_of(client.get("/c/medconf/people/suggestions"))
    assert "Anna Berg won&#39;t be suggested to you again" in html
    assert "Don't suggest Anna again" not in html and "No suggestions right now" in html


def test_dismissing_needs_csrf_and_a_visible_person(client, login, post, lotte, anna, member):
    login(lotte)
    assert client.post(f"/c/medconf/people/{anna.id}/dismiss").status_code == 400
    hidden = member("Hidden One")
    db.session.get(Membership, hidden.memberships[0].id).visibility = Visibility.HIDDEN
    page = "/c/medconf/people/suggestions"
    assert post(f"/c/medconf/people/{hidden.id}/dismiss", page=page).status_code == 404
    assert post(f"/c/medconf/people/{lotte.id}/dismiss", page=page).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Dismissal)) == 0
    assert client.get("/c/medconf/people/1/dismiss").status_code == 405


def test_changing_visibility(client, login, post, lotte):
    login(lotte)
    html = html_of(client.get("/c/medconf/people/visibility"))
    assert re.search(r'<input[^>]* checked [^>]*value="listed"', html)
    assert "Only people whose introduction you accepted" in html
    response = post("/c/medconf/people/visibility", {"visibility": "connections"})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).filter_by(user_id=lotte.id))
    db.session.refresh(membership)
    assert membership.visibility is Visibility.CONNECTIONS
    html = html_of(client.get("/c/medconf/people"))
    assert "Visible only to people I&#39;m introduced to" in html


@pytest.mark.parametrize("value", ["", "everyone", XSS])
def test_bad_visibility_is_refused_and_nothing_changes(client, login, post, lotte, value):
    login(lotte)
    response = post("/c/medconf/people/visibility", {"visibility": value})
    assert response.status_code == 200
    assert XSS not in html_of(response) and 'class="error"' in html_of(response)
    membership = db.session.scalar(select(Membership).filter_by(user_id=lotte.id))
    db.session.refresh(membership)
    assert membership.visibility is Visibility.LISTED


def test_script_in_every_field_is_inert_on_every_people_page(client, login, make, conf, lotte):
    evil = make.user(name=f"Eve {XSS}")
    make.member(evil, conf)
    text = {
        name: f"{name} {XSS}"
        for name in ("specialty", "sub_specialty", "organization", "city", "country", "bio")
    }
    make.profile(
        evil,
        **text,
        interests=f"{XSS}, heart failure",
        languages=f"{XSS}, Dutch",
        contact_email=f"x{XSS}@example.org",
        phone=XSS,
        links=f"javascript:alert(1)\nhttps://example.org/{XSS}",
        offers=(Offer.MENTORING,),
    )
    login(lotte)
    for path in ("/c/medconf/people", "/c/medconf/people/suggestions"):
        html = html_of(client.get(path))
        assert "Eve &lt;script&gt;" in html and "<script>" not in html, path
    make.introduction(conf, lotte, evil, status=IntroductionStatus.ACCEPTED)
    html = html_of(client.get(f"/c/medconf/people/{evil.id}"))
    assert "mailto:" in html and "sub_specialty &lt;script&gt;" in html
    assert "<script>" not in html
    person_page = html_of(client.get(f"/c/medconf/people/{evil.id}"))
    assert 'href="javascript:' not in person_page


@pytest.mark.parametrize(
    ("visibility", "hidden", "says", "not_says"),
    [
        (Visibility.HIDDEN, False, "Only you (and the organizers) can see this profile here.", ""),
        (Visibility.CONNECTIONS, False, "Only your connections (and the organizers)", ""),
        (
            Visibility.LISTED,
            True,
            "The organizers have hidden your profile in this conference; people can't find or "
            "contact you. Contact the organizers if you think this is a mistake.",
            "Only you",
        ),
    ],
)
def test_your_own_page_says_who_sees_it(
    client, login, lotte, conf, visibility, hidden, says, not_says
):
    membership = db.session.scalar(select(Membership).filter_by(user_id=lotte.id))
    membership.visibility = visibility
    membership.profile_hidden_at = conf.created_at if hidden else None
    db.session.commit()
    login(lotte)
    html = html_of(client.get(f"/c/medconf/people/{lotte.id}"))
    assert says in html
    assert "This is how other people here see your profile" not in html
    assert not not_says or not_says not in html


def test_a_request_you_made_shows_on_their_page_with_withdraw(client, make, login, post, conf):
    lotte = make.user(name="Lotte van Dijk")
    lena = make.user(name="Lena Smit")
    make.member(lotte, conf)
    make.member(lena, conf)
    intro = make.introduction(conf, lotte, lena, status=IntroductionStatus.PENDING, by=lotte)
    db.session.commit()
    login(lotte)
    page = f"/c/medconf/people/{lena.id}"
    html = html_of(client.get(page))
    day = intro.created_at.astimezone(conf.tz)
    assert re.search(rf"You asked on \w{{3}} {day.day} \w{{3}} — waiting for Lena's answer", html)
    assert "Ask for an introduction" not in html
    withdraw = f"/c/medconf/introductions/{intro.id}/withdraw?back=person"
    assert withdraw in html
    response = post(withdraw, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    db.session.rollback()
    assert db.session.get(type(intro), intro.id).status is IntroductionStatus.WITHDRAWN
    assert "Ask for an introduction" in html_of(client.get(page))


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_request_waiting_for_you_can_be_answered_on_their_page(
    client, make, login, post, conf, answer
):
    lotte, sem = make.user(name="Lotte van Dijk"), make.user(name="Sem de Vries")
    make.member(lotte, conf)
    make.member(sem, conf)
    intro = make.introduction(conf, sem, lotte, status=IntroductionStatus.PENDING, by=sem)
    db.session.commit()
    login(lotte)
    page = f"/c/medconf/people/{sem.id}"
    html = html_of(client.get(page))
    assert "Sem asked to meet you" in html and "Ask for an introduction" not in html
    assert ">Accept<" in html and ">Not now<" in html
    response = post(f"/c/medconf/introductions/{intro.id}/{answer}?back=person", page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    db.session.rollback()
    status = db.session.get(type(intro), intro.id).status
    expected = IntroductionStatus.ACCEPTED if answer == "accept" else IntroductionStatus.DECLINED
    assert status is expected
    html = html_of(client.get(page))
    assert "Sem asked to meet you" not in html
    assert ("Open your conversation" in html) is (answer == "accept")


def test_a_brokered_introduction_waiting_for_you_shows_on_their_page(client, make, login, conf):
    lotte, sem, carl = (make.user(name=n) for n in ("Lotte van Dijk", "Sem de Vries", "Carl Cohen"))
    for user in (lotte, sem, carl):
        make.member(user, conf)
    make.introduction(conf, lotte, sem, status=IntroductionStatus.PENDING, by=carl)
    db.session.commit()
    login(lotte)
    html = html_of(client.get(f"/c/medconf/people/{sem.id}"))
    assert "Carl Cohen would like to introduce you to Sem" in html and ">Accept<" in html


def test_people_subnav_is_on_introductions_pages_and_wraps(client, login, lotte):
    login(lotte)
    html = html_of(client.get("/c/medconf/introductions"))
    nav = html[html.index('aria-label="People pages"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'aria-current="page">Introductions<' in nav and "Your visibility" in nav
    assert "css/people." in html
    from pathlib import Path

    css = (Path(__file__).parents[1] / "static/css/people.css").read_text()
    rule = css[css.index(".subnav.people-nav {") :].split("}")[0]
    assert "flex-wrap: wrap" in rule and "overflow-x: visible" in rule


def test_phone_is_a_tap_to_call_link(client, make, login, conf, lotte, anna):
    anna.profile.phone = "+31 (0)10-123 4567"
    intro = make.introduction(conf, lotte, anna)
    db.session.commit()
    login(lotte)
    html = html_of(client.get(f"/c/medconf/introductions/{intro.id}"))
    assert '<a href="tel:+310101234567">+31 (0)10-123 4567</a>' in html
