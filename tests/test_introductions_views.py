"""Introduction pages through HTTP: asking, answering, brokering, the connection page, and bad
input (yourself, hidden or blocked people, duplicates, overlong text, HTML) without a 500."""

import re

import pytest
from sqlalchemy import func, select
from test_introductions_support import client_for, member, notes_of, send

from confnet.extensions import db
from confnet.models import (
    Block,
    Introduction,
    IntroductionStatus,
    Membership,
    Message,
    Visibility,
)

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INERT = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def scene(make):
    conference = make.conference("hd", name="Heart Days")
    anna = member(make, conference, "Anna Arts", organization="UMC", specialty="Cardiology")
    ben = member(
        make,
        conference,
        "Ben Bakker",
        organization="Erasmus",
        contact_email="ben@erasmus.example",
        phone="+31 6 1234 5678",
        links='https://orcid.org/0000-0001\njavascript:alert(1)\nhttps://ben.example/"onmouseover=x',
    )
    carl = member(make, conference, "Carl Cohen")
    return conference, anna, ben, carl


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def ask_url(person) -> str:
    return f"/c/hd/introductions/ask/{person.id}"


def test_members_only(app, make, scene, client, login):
    _, anna, _, _ = scene
    assert client.get("/c/hd/introductions").status_code == 302  # log in first
    login(make.user())
    for url in ("/c/hd/introductions", ask_url(anna), "/c/hd/introductions/introduce"):
        assert client.get(url).status_code == 403
    assert client.get("/c/nowhere/introductions").status_code == 404


def test_ask_accept_and_see_contact_details(app, make, scene):
    _, anna, ben, _ = scene
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    page = as_anna.get(ask_url(ben)).get_data(as_text=True)
    assert "Ask to meet Ben Bakker" in page and "Erasmus" in page
    assert "ben@erasmus.example" not in page
    response = send(as_anna, ask_url(ben), {"message": "Both in registries."})
    assert response.status_code == 302 and response.location.endswith("/c/hd/introductions")
    inbox = as_ben.get("/c/hd/introductions").get_data(as_text=True)
    assert "Anna Arts" in inbox and "Cardiology" in inbox and "Both in registries." in inbox
    assert notes_of(ben) == ["Anna Arts would like to be introduced to you at Heart Days."]
    intro = db.session.scalar(select(Introduction))
    response = send(as_ben, f"/c/hd/introductions/{intro.id}/accept")
    assert response.location.endswith(f"/c/hd/introductions/{intro.id}")
    page = as_anna.get(f"/c/hd/introductions/{intro.id}").get_data(as_text=True)
    assert "ben@erasmus.example" in page and "+31 6 1234 5678" in page
    assert '<a href="https://orcid.org/0000-0001" rel="nofollow noopener noreferrer">' in page
    assert 'href="javascript' not in page and "<li>javascript:alert(1)</li>" in page
    assert "onmouseover=x" in page and 'href="https://ben.example/&#34;onmouseover' in page
    assert "Both in registries." in page  # the opening message heads the thread


def test_a_thread_between_the_two(app, make, scene):
    conference, anna, ben, carl = scene
    intro = make.introduction(conference, anna, ben)
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    url = f"/c/hd/introductions/{intro.id}"
    assert send(as_anna, url, {"body": "First " + SCRIPT}).status_code == 302
    assert send(as_ben, url, {"body": "Second"}).status_code == 302
    page = as_ben.get(url).get_data(as_text=True)
    assert page.index("First ") < page.index("Second") and INERT in page and SCRIPT not in page
    assert notes_of(ben) == ["Anna Arts sent you a message on confnet."]
    assert as_ben.get(f"/c/other/introductions/{intro.id}").status_code == 404
    for body, error in (
        ("", "Please write a message."),
        ("m" * 1001, "Please keep your message to 1,000 characters or fewer."),
    ):
        response = send(as_anna, url, {"body": body})
        assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert count(Message) == 2
    as_carl = client_for(app, carl, make.PASSWORD)
    assert as_carl.get(url).status_code == 404
    assert send(as_carl, url, {"body": "Let me in"}).status_code == 404
    assert count(Message) == 2


def test_a_pending_or_declined_introduction_shows_nothing(app, make, scene):
    conference, anna, ben, _ = scene
    as_anna = client_for(app, anna, make.PASSWORD)
    for status in (IntroductionStatus.PENDING, IntroductionStatus.DECLINED):
        db.session.execute(Introduction.__table__.delete())
        intro = make.introduction(conference, anna, ben, status=status)
        assert as_anna.get(f"/c/hd/introductions/{intro.id}").status_code == 404


def test_decline_is_gentle_and_the_pair_cools_down(app, make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben, status=IntroductionStatus.PENDING)
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    response = send(as_ben, f"/c/hd/introductions/{intro.id}/decline", follow_redirects=True)
    assert "not available right now" in response.get_data(as_text=True)
    inbox = as_anna.get("/c/hd/introductions").get_data(as_text=True)
    assert "Not available right now · you can ask again after" in inbox
    page = as_anna.get(ask_url(ben)).get_data(as_text=True)
    assert "Ben Bakker is not available right now; you can ask again after" in page
    assert 'name="message"' not in page
    response = send(as_anna, ask_url(ben), {"message": "Please?"})
    assert response.status_code == 400 and "is not available right now" in response.text
    for text in (inbox, page, response.text, *notes_of(anna)):
        assert "declin" not in text.lower()
    assert count(Introduction) == 1


def test_answering_twice_or_after_withdrawal_says_so(app, make, scene):
    conference, anna, ben, carl = scene
    intro = make.introduction(conference, anna, ben, status=IntroductionStatus.PENDING)
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    as_carl = client_for(app, carl, make.PASSWORD)
    base = f"/c/hd/introductions/{intro.id}"
    for action in ("accept", "decline", "withdraw"):
        assert send(as_carl, f"{base}/{action}").status_code == 404
    assert send(as_ben, f"{base}/withdraw").status_code == 404  # only the asker withdraws
    response = send(as_anna, f"{base}/accept", follow_redirects=True)
    assert "already said yes" in response.text
    assert send(as_anna, f"{base}/withdraw", follow_redirects=True).status_code == 200
    response = send(as_ben, f"{base}/accept", follow_redirects=True)
    assert response.status_code == 200 and "withdrawn" in response.text
    assert as_ben.post(f"{base}/accept").status_code == 400  # no CSRF token
    db.session.rollback()
    assert db.session.get(Introduction, intro.id).status is IntroductionStatus.WITHDRAWN


def test_asking_yourself_and_duplicates(app, make, scene):
    conference, anna, ben, _ = scene
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    page = as_anna.get(ask_url(anna)).get_data(as_text=True)
    assert "You can&#39;t ask for an introduction to yourself." in page
    response = send(as_anna, ask_url(anna), {"message": "Me!"})
    assert response.status_code == 400 and "to yourself" in response.text
    assert send(as_anna, ask_url(ben), {"message": "Hello"}).status_code == 302
    response = send(as_anna, ask_url(ben), {"message": "Hello again"})
    assert response.status_code == 400 and "You have already asked Ben Bakker" in response.text
    page = as_ben.get(ask_url(anna)).get_data(as_text=True)
    assert "Anna Arts has already asked to be introduced to you" in page
    assert count(Introduction) == 1


@pytest.mark.parametrize(
    "how", ["missing", "hidden", "invisible", "blocked", "blocking", "stranger"]
)
def test_people_out_of_reach_are_404(app, make, scene, how):
    conference, anna, ben, _ = scene
    target = ben
    membership = db.session.scalar(select(Membership).filter_by(user_id=ben.id))
    if how == "hidden":
        membership.profile_hidden_at = membership.joined_at
    elif how == "invisible":
        membership.visibility = Visibility.HIDDEN
    elif how in ("blocked", "blocking"):
        pair = (anna.id, ben.id) if how == "blocking" else (ben.id, anna.id)
        db.session.add(Block(blocker_id=pair[0], blocked_id=pair[1]))
    elif how == "stranger":
        target = make.user(name="Not Here")
    as_anna = client_for(app, anna, make.PASSWORD)
    url = "/c/hd/introductions/ask/999999" if how == "missing" else ask_url(target)
    missing = as_anna.get("/c/hd/introductions/ask/999999")
    for response in (as_anna.get(url), send(as_anna, url, {"message": "Hi"})):
        assert response.status_code == 404
        assert response.get_data() == missing.get_data()  # indistinguishable
    assert count(Introduction) == 0
    assert notes_of(ben) == []


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "Please write a short message saying why."),
        ("x" * 501, "Please keep your message to 500 characters or fewer."),
    ],
)
def test_bad_messages_save_nothing(app, make, scene, message, error):
    _, anna, ben, _ = scene
    as_anna = client_for(app, anna, make.PASSWORD)
    response = send(as_anna, ask_url(ben), {"message": message})
    assert response.status_code == 400 and error in response.text
    assert 'aria-invalid="true"' in response.text
    assert count(Introduction) == 0 and notes_of(ben) == []


def test_html_in_a_request_is_inert_everywhere(app, make, scene):
    _, anna, ben, _ = scene
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    assert send(as_anna, ask_url(ben), {"message": SCRIPT}).status_code == 302
    inbox = as_ben.get("/c/hd/introductions").get_data(as_text=True)
    assert INERT in inbox and "<script>alert" not in inbox and "onerror=alert(1)>" not in inbox


def test_introducing_two_people(app, make, scene):
    conference, anna, ben, carl = scene
    make.introduction(conference, carl, anna)
    make.introduction(conference, carl, ben)
    as_carl = client_for(app, carl, make.PASSWORD)
    page = as_carl.get("/c/hd/introductions/introduce").get_data(as_text=True)
    assert f'<option value="{anna.id}">Anna Arts</option>' in page
    url = "/c/hd/introductions/introduce"
    response = send(as_carl, url, {"first": anna.id, "second": anna.id, "note": "Hi"})
    assert response.status_code == 400 and "Choose two different people." in response.text
    response = send(as_carl, url, {"first": anna.id, "second": 999999, "note": "Hi"})
    assert response.status_code == 400 and "Choose one of your connections." in response.text
    response = send(as_carl, url, {"first": "x", "second": "", "note": "n" * 501})
    assert response.status_code == 400 and "Choose a person" in response.text
    assert count(Introduction) == 2
    data = {"first": anna.id, "second": ben.id, "note": "Registries! " + SCRIPT}
    assert send(as_carl, url, data).status_code == 302

    intro = db.session.scalar(select(Introduction).filter_by(status=IntroductionStatus.PENDING))
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    inbox = as_anna.get("/c/hd/introductions").get_data(as_text=True)
    assert "Carl Cohen would like to introduce you to" in inbox and INERT in inbox
    assert "ben@erasmus.example" not in inbox
    send(as_anna, f"/c/hd/introductions/{intro.id}/accept")
    assert as_anna.get(f"/c/hd/introductions/{intro.id}").status_code == 404  # not yet
    inbox = as_anna.get("/c/hd/introductions").text
    assert "you said yes · waiting for the other person" in inbox
    assert "Your requests" not in inbox and "waiting for Ben" not in inbox
    made = as_carl.get("/c/hd/introductions").text
    assert "Your requests" not in made and "Waiting for their answers" in made
    send(as_ben, f"/c/hd/introductions/{intro.id}/accept")
    assert "ben@erasmus.example" in as_anna.get(f"/c/hd/introductions/{intro.id}").text
    assert "Anna Arts and Ben Bakker" in as_carl.get("/c/hd/introductions").text


def test_introduce_page_without_connections(app, make, scene):
    _, anna, _, _ = scene
    page = client_for(app, anna, make.PASSWORD).get("/c/hd/introductions/introduce")
    assert "You need at least two connections" in page.text
    assert not re.search(r'name="note"', page.text)


def test_sending_the_same_message_twice_shows_the_thread_once(app, make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben)
    as_anna = client_for(app, anna, make.PASSWORD)
    url = f"/c/hd/introductions/{intro.id}"
    for _ in range(2):  # a retried POST on slow Wi-Fi
        response = send(as_anna, url, {"body": "See you at the poster?"})
        assert response.status_code == 302 and response.headers["Location"].endswith("#thread-end")
    assert as_anna.get(url).text.count("See you at the poster?") == 1
    assert count(Message) == 1 and notes_of(ben) == ["Anna Arts sent you a message on confnet."]
    assert send(as_anna, url, {"body": "Or at lunch?"}).status_code == 302
    assert count(Message) == 2
