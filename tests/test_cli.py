"""Shell commands, run through Flask's CLI runner."""

from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import Conference, Membership, Role, User


def test_create_user_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Boss@Example.org", "--admin", "--name", "The Boss"],
        input="a strong password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "boss@example.org" and user.is_site_admin and user.name == "The Boss"
    again = app.test_cli_runner().invoke(args=["create-user", "boss@example.org"], input="x" * 12)
    assert again.exit_code != 0 and "already an account" in again.output


def test_create_user_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["create-user", "a@b.org"], input="short\n")
    assert result.exit_code != 0 and "at least 10" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_conference_with_an_organizer(app, make):
    make.user("chair@example.org")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-conference",
            "derm-28",
            "--name",
            "Derm 2028",
            "--starts",
            "2028-06-01",
            "--ends",
            "2028-06-02",
            "--timezone",
            "Australia/Sydney",
            "--organizer",
            "chair@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    conference = db.session.scalar(select(Conference))
    assert conference.timezone == "Australia/Sydney"
    assert db.session.scalar(select(Membership.role)) is Role.ORGANIZER


def test_create_conference_reports_bad_input_cleanly(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-conference",
            "x-1",
            "--name",
            "X",
            "--starts",
            "2028-06-02",
            "--ends",
            "2028-06-01",
            "--timezone",
            "Europe/Paris",
        ]
    )
    assert result.exit_code != 0 and "ends before it starts" in result.output
    assert "Traceback" not in result.output


def test_seed_demo_prints_logins_and_refuses_a_second_run(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@confnet.test" in first.output and "password:" in first.output
    users = db.session.scalar(select(func.count()).select_from(User))
    assert users >= 50
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    tolerant = runner.invoke(args=["seed-demo", "--if-empty"])
    assert tolerant.exit_code == 0 and "no demo was added" in tolerant.output
