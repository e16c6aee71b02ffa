"""Blocking, reporting and the organizers' reports page through HTTP."""

import pytest
from sqlalchemy import func, select
from test_introductions_support import client_for, member, notes_of, send

from confnet.extensions import db
from confnet.models import Block, Introduction, IntroductionStatus, Membership, Report, Role

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def scene(make):
    conference = make.conference("hd", name="Heart Days")
    anna = member(make, conference, "Anna Arts")
    ben = member(make, conference, "Ben Bakker", contact_email="ben@erasmus.example")
    boss = member(make, conference, "Olga Organizer", role=Role.ORGANIZER)
    return conference, anna, ben, boss


def test_block_confirms_then_closes_everything(app, make, scene):
    conference, anna, ben, _ = scene
    intro = make.introduction(conference, anna, ben)
    as_anna, as_ben = client_for(app, anna, make.PASSWORD), client_for(app, ben, make.PASSWORD)
    connection = f"/c/hd/introductions/{intro.id}"
    assert "ben@erasmus.example" in as_anna.get(connection).text
    page = as_anna.get(f"/c/hd/introductions/block/{ben.id}").text
    assert "Block Ben Bakker?" in page
    assert (
        "Ben will no longer see your profile or be able to contact you; pending introductions "
        "and meetings between you are cancelled." in page
    )
    response = send(as_anna, f"/c/hd/introductions/block/{ben.id}", follow_redirects=True)
    assert "You blocked Ben Bakker" in response.text and "Unblock" in response.text
    assert notes_of(ben) == []
    for client in (as_anna, as_ben):
        assert client.get(connection).status_code == 404
    assert as_ben.get(f"/c/hd/introductions/ask/{anna.id}").status_code == 404
    assert send(as_ben, f"/c/hd/introductions/ask/{anna.id}", {"message": "?"}).status_code == 404
    assert "Anna" not in as_ben.get("/c/hd/introductions").text.split("<main", 1)[1]
    db.session.rollback()
    assert db.session.get(Introduction, intro.id).status is IntroductionStatus.ENDED

    # Blocking again is harmless; unblocking does not bring the connection back.
    assert "already blocked" in as_anna.get(f"/c/hd/introductions/block/{ben.id}").text
    send(as_anna, f"/c/hd/introductions/unblock/{ben.id}")
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0
    assert as_anna.get(connection).status_code == 404
    assert send(as_anna, f"/c/hd/introductions/unblock/{ben.id}").status_code == 404


def test_block_and_report_need_someone_you_know_of(app, make, scene):
    _, anna, _, _ = scene
    stranger = make.user(name="Sam Stranger")
    as_anna = client_for(app, anna, make.PASSWORD)
    for action in ("block", "report"):
        url = f"/c/hd/introductions/{action}/{stranger.id}"
        assert as_anna.get(url).status_code == 404
        assert send(as_anna, url, {"reason": "x"}).status_code == 404
        assert as_anna.get(f"/c/hd/introductions/{action}/{anna.id}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0


def test_a_requester_can_be_blocked_even_when_hidden(app, make, scene):
    conference, anna, ben, _ = scene
    make.introduction(conference, ben, anna, status=IntroductionStatus.PENDING, by=ben)
    db.session.scalar(
        select(Membership).filter_by(user_id=ben.id)
    ).profile_hidden_at = conference.created_at
    as_anna = client_for(app, anna, make.PASSWORD)
    assert send(as_anna, f"/c/hd/introductions/block/{ben.id}").status_code == 302
    assert "Ben Bakker" in as_anna.get("/c/hd/introductions/blocked").text


def test_report_then_hide_and_restore(app, make, scene):
    conference, anna, ben, boss = scene
    as_anna, as_boss = client_for(app, anna, make.PASSWORD), client_for(app, boss, make.PASSWORD)
    url = f"/c/hd/introductions/report/{ben.id}"
    assert "What happened?" in as_anna.get(url).text
    for reason, error in (
        ("", "Please write what happened."),
        ("r" * 1001, "Please keep your report to 1,000 characters or fewer."),
    ):
        response = send(as_anna, url, {"reason": reason})
        assert response.status_code == 400 and error in response.text
    assert send(as_anna, url, {"reason": "Rude " + SCRIPT}).status_code == 302
    response = send(as_anna, url, {"reason": "Again"})
    assert response.status_code == 400
    assert "You already reported Ben Bakker; the organizers have it." in response.text
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert notes_of(boss) == [
        "A member of Heart Days reported a profile. Please review the reports."
    ]

    assert as_anna.get("/c/hd/introductions/reports").status_code == 403
    report = db.session.scalar(select(Report))
    assert send(as_anna, f"/c/hd/introductions/reports/{report.id}/hide").status_code == 403
    page = as_boss.get("/c/hd/introductions/reports").text
    assert "Anna Arts" in page and "Ben Bakker" in page
    assert "Rude &lt;script&gt;alert(1)&lt;/script&gt;" in page and SCRIPT not in page
    response = send(as_boss, f"/c/hd/introductions/reports/{report.id}/hide", follow_redirects=True)
    assert "Ben Bakker&#39;s profile is hidden" in response.text and "Show again" in response.text
    db.session.rollback()
    assert db.session.scalar(select(Membership).filter_by(user_id=ben.id)).profile_hidden_at
    assert as_anna.get(f"/c/hd/introductions/ask/{ben.id}").status_code == 404
    send(as_boss, f"/c/hd/introductions/reports/{report.id}/restore")
    db.session.rollback()
    assert db.session.scalar(select(Membership).filter_by(user_id=ben.id)).profile_hidden_at is None
    assert as_anna.get(f"/c/hd/introductions/ask/{ben.id}").status_code == 200
    response = send(as_boss, f"/c/hd/introductions/reports/{report.id}/dismiss")
    assert response.status_code == 302  # already resolved by hiding: a message, not a 500


def test_reports_of_another_conference_are_404(app, make, scene):
    conference, anna, ben, boss = scene
    other = make.conference("other")
    make.member(anna, other)
    make.member(ben, other)
    report = Report(conference_id=other.id, reporter_id=anna.id, subject_id=ben.id, reason="x")
    db.session.add(report)
    db.session.flush()
    as_boss = client_for(app, boss, make.PASSWORD)
    for action in ("hide", "dismiss", "restore"):
        assert send(as_boss, f"/c/hd/introductions/reports/{report.id}/{action}").status_code == 404
    db.session.rollback()
    assert db.session.get(Report, report.id).resolved_at is None


def test_reports_about_an_organizer_go_to_site_admins_who_can_act(app, make, scene):
    conference, anna, _, boss = scene
    admin = make.user(name="Sita Admin", admin=True)  # not a member
    as_anna = client_for(app, anna, make.PASSWORD)
    assert (
        send(as_anna, f"/c/hd/introductions/report/{boss.id}", {"reason": "Pushy"}).status_code
        == 302
    )
    assert notes_of(boss) == []
    assert notes_of(admin) == [
        "A member of Heart Days reported a profile. Please review the reports."
    ]
    report = db.session.scalar(select(Report))

    as_boss = client_for(app, boss, make.PASSWORD)
    page = as_boss.get("/c/hd/introductions/reports").text
    assert "Pushy" not in page and "No open reports." in page
    for action in ("hide", "dismiss"):
        response = send(
            as_boss, f"/c/hd/introductions/reports/{report.id}/{action}", follow_redirects=True
        )
        assert "This report is about you" in response.text
    db.session.rollback()
    assert db.session.get(Report, report.id).resolved_at is None

    as_admin = client_for(app, admin, make.PASSWORD)
    page = as_admin.get("/c/hd/introductions/reports").text
    assert "Pushy" in page and "Hide the profile" in page
    response = send(
        as_admin, f"/c/hd/introductions/reports/{report.id}/hide", follow_redirects=True
    )
    assert "Olga Organizer&#39;s profile is hidden" in response.text
    page = as_boss.get("/c/hd/introductions/reports").text
    assert "Olga Organizer" in page and "Show again" not in page
    response = send(
        as_boss, f"/c/hd/introductions/reports/{report.id}/restore", follow_redirects=True
    )
    assert "This report is about you" in response.text
    db.session.rollback()
    hidden = db.session.scalar(select(Membership).filter_by(user_id=boss.id))
    assert hidden.profile_hidden_at is not None
