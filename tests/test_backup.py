"""``flask backup`` / ``flask restore``: a seeded conference survives the round trip, table by
table and row by row, on SQLite and on PostgreSQL; bad restores change nothing."""

import json

import pytest
from sqlalchemy import select

from confnet.backup.commands import _tables
from confnet.extensions import db
from confnet.models import User


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    found = {}
    for table in _tables():
        order = list(table.primary_key.columns) or list(table.columns)
        found[table.name] = [
            tuple(row) for row in db.session.execute(select(table).order_by(*order))
        ]
    return found


def _empty_every_table() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(_tables()):
            conn.execute(table.delete())


@pytest.fixture
def seeded(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return runner


def test_a_seeded_conference_round_trips_through_a_json_backup(seeded, tmp_path):
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 1000  # the demo fills most tables
    filled = [name for name, rows in before.items() if rows]
    file = tmp_path / "confnet.json.gz"

    result = seeded.invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    _empty_every_table()
    result = seeded.invoke(args=["restore", str(file)])
    assert result.exit_code == 0, result.output
    assert f"from {file}" in result.output

    after = _snapshot()
    assert {name: rows for name, rows in after.items() if rows}.keys() == set(filled)
    for name in before:
        assert after[name] == before[name], name
    # New rows get new ids after the restored ones (PostgreSQL's sequences moved on).
    newest = max(row[0] for row in before["users"])
    db.session.add(User(email="after-restore@example.org", name="After", password_hash="x"))
    db.session.flush()
    assert db.session.scalar(select(User.id).filter_by(email="after-restore@example.org")) > newest


def test_a_restore_into_a_database_with_data_changes_nothing(seeded, tmp_path):
    file = tmp_path / "backup.json"
    assert seeded.invoke(args=["backup", str(file)]).exit_code == 0
    before = _snapshot()
    result = seeded.invoke(args=["restore", str(file)])
    assert result.exit_code != 0 and "not empty" in result.output
    assert _snapshot() == before


def test_a_backup_of_another_schema_revision_or_another_kind_of_file_is_refused(seeded, tmp_path):
    file = tmp_path / "backup.json"
    assert seeded.invoke(args=["backup", str(file)]).exit_code == 0
    data = json.loads(file.read_text())
    _empty_every_table()
    data["revision"] = "0000"
    file.write_text(json.dumps(data))
    result = seeded.invoke(args=["restore", str(file)])
    assert result.exit_code != 0 and "db upgrade" in result.output
    file.write_text('{"hello": "world"}')
    result = seeded.invoke(args=["restore", str(file)])
    assert result.exit_code != 0 and "not a confnet backup" in result.output
    file.write_text("not json at all")
    assert seeded.invoke(args=["restore", str(file)]).exit_code != 0
    assert all(not rows for rows in _snapshot().values())


def test_a_backup_never_overwrites_a_file(seeded, tmp_path):
    file = tmp_path / "backup.json"
    file.write_text("precious")
    result = seeded.invoke(args=["backup", str(file)])
    assert result.exit_code != 0 and "exists" in result.output
    assert file.read_text() == "precious"


def test_the_sqlite_online_backup_is_a_working_copy(app, seeded, tmp_path):
    if db.engine.dialect.name != "sqlite":
        result = seeded.invoke(args=["backup", "--sqlite", str(tmp_path / "copy.db")])
        assert result.exit_code != 0 and "SQLite database file" in result.output
        return
    copy = tmp_path / "copy.db"
    result = seeded.invoke(args=["backup", "--sqlite", str(copy)])
    assert result.exit_code == 0, result.output
    import sqlite3

    with sqlite3.connect(copy) as conn:
        users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    assert users == len(_snapshot()["users"]) > 10
