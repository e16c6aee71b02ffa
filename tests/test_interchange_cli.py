"""``flask import-schedule`` and ``flask export-schedule``, through Flask's CLI runner."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import Room, ScheduleItem
from confnet.releases.services import publish_schedule

GOOD = (
    "title,kind,start,end,room\n"
    "Opening,keynote,2027-03-26 09:00,2027-03-26 10:00,Main Hall\n"
    "Sunday talk,talk,2027-03-28 10:00,2027-03-28 10:45,Main Hall\n"
)
BAD = (
    "title,kind,start,end,room\n"
    "Opening,keynote,2027-03-26 09:00,2027-03-26 10:00,New Hall\n"
    ",talk,2027-03-26 11:00,2027-03-26 11:30,\n"
    "Late,talk,2027-03-26 12:00,2027-03-26 11:00,\n"
)


@pytest.fixture
def conference(make):
    conference = make.conference("cli-2027", tz="Europe/Amsterdam", starts_on=date(2027, 3, 26))
    db.session.commit()
    return conference


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_prints_the_summary_and_commits(app, conference, tmp_path):
    path = tmp_path / "programme.csv"
    path.write_text(GOOD)
    result = app.test_cli_runner().invoke(args=["import-schedule", "cli-2027", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 sessions: 2 new, 0 updated. New rooms: Main Hall." in result.output
    db.session.rollback()
    assert count(ScheduleItem) == 2
    sunday = db.session.scalar(select(ScheduleItem).filter_by(title="Sunday talk"))
    assert sunday.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)


def test_import_prints_every_error_and_changes_nothing(app, conference, tmp_path):
    path = tmp_path / "programme.txt"
    path.write_text(BAD)
    result = app.test_cli_runner().invoke(
        args=["import-schedule", "cli-2027", str(path), "--format", "csv"]
    )
    assert result.exit_code != 0
    assert "Line 3: The title is missing." in result.output
    assert "Line 4: It ends before (or when) it starts." in result.output
    assert "Nothing was imported" in result.output and "Traceback" not in result.output
    db.session.rollback()
    assert count(ScheduleItem) == count(Room) == 0


def test_import_into_an_unknown_conference_fails_cleanly(app, tmp_path):
    path = tmp_path / "programme.csv"
    path.write_text(GOOD)
    result = app.test_cli_runner().invoke(args=["import-schedule", "nope", str(path)])
    assert result.exit_code != 0 and "No conference has the short name 'nope'" in result.output


def test_export_writes_the_published_schedule(app, make, conference, tmp_path):
    make.item(conference, title="Published talk")
    publish_schedule(conference, by=None)
    make.item(conference, title="Draft only")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-schedule", "cli-2027", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schedule"]["version"] == "Release 1"
    titles = [
        event["title"]
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]
    assert titles == ["Published talk"]
    target = tmp_path / "schedule.xml"
    result = runner.invoke(
        args=[
            "export-schedule",
            "cli-2027",
            "--format",
            "xml",
            "--output",
            str(target),
            "--base-url",
            "https://confnet.example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    xml = target.read_text()
    assert "<title>Published talk</title>" in xml and "Draft only" not in xml
    assert "https://confnet.example.org/c/cli-2027/sessions/" in xml
    csv_result = runner.invoke(args=["export-schedule", "cli-2027", "--format", "csv"])
    assert "Published talk" in csv_result.output


def test_export_needs_a_known_conference_and_format(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-schedule", "nope", "--format", "json"])
    assert result.exit_code != 0 and "No conference" in result.output
    result = runner.invoke(args=["export-schedule", "nope", "--format", "pdf"])
    assert result.exit_code != 0
