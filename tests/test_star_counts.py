"""The number of stars a session shows is kept by the database (``star_counts``, migration
0009): it equals the stars there are, whatever writes them, also when many people star one
session at the same moment, and it survives a backup and restore."""

import threading
from datetime import UTC, date, datetime

import pytest
from helpers import csrf
from sqlalchemy import delete, func, insert, select
from test_backup import _empty_every_table

from confnet.extensions import db
from confnet.models import ScheduleItem, Star, StarCount, User
from confnet.schedule.services import star_session, star_state, unstar_session
from confnet.web import get_conference_or_404

TALK_AT = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
RUSH = 6


@pytest.fixture
def talk(make):
    conference = make.conference("medconf", starts_on=date(2027, 3, 26), days=2)
    item = make.item(conference, title="Sepsis update", starts_at=TALK_AT)
    make.publish(conference)
    db.session.commit()
    return item


def counted(item_id: int) -> tuple[int, int]:
    """(what pages show, the stars there are)."""
    shown = star_state(None, db.session.get(ScheduleItem, item_id).published)[1]
    real = db.session.scalar(select(func.count()).select_from(Star).filter_by(item_id=item_id))
    return shown, real


def test_starring_and_unstarring_change_the_count_by_one(make, talk):
    people = [make.user() for _ in range(3)]
    for person in people:
        star_session(person, talk.published)
    star_session(people[0], talk.published)  # twice: still one star
    assert counted(talk.id) == (3, 3)
    unstar_session(people[1], talk.published)
    unstar_session(people[1], talk.published)  # nothing to take away the second time
    assert counted(talk.id) == (2, 2)


def test_bulk_inserts_and_cascading_deletes_are_counted_too(make, talk):
    people = [make.user() for _ in range(5)]
    db.session.execute(insert(Star), [{"user_id": p.id, "item_id": talk.id} for p in people])
    assert counted(talk.id) == (5, 5)
    db.session.execute(delete(User).where(User.id == people[0].id))  # cascades to the star
    db.session.expire_all()
    assert counted(talk.id) == (4, 4)
    db.session.execute(delete(Star).where(Star.user_id.in_([p.id for p in people[1:3]])))
    assert counted(talk.id) == (2, 2)
    db.session.execute(delete(ScheduleItem).where(ScheduleItem.id == talk.id))
    assert db.session.get(StarCount, talk.id) is None  # the count went with the session


def test_a_crowd_starring_one_session_at_once_loses_no_star(app, make, talk):
    """Six people tap the star of one session at the same moment, each in their own request
    (their own connection and transaction): the session shows six."""
    people = [make.user() for _ in range(RUSH)]
    for person in people:
        make.member(person, get_conference_or_404("medconf"))
    db.session.commit()
    path = f"/c/medconf/sessions/{talk.id}/star"
    clients = []
    for person in people:
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": person.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, f"/c/medconf/sessions/{talk.id}")))
    start = threading.Barrier(RUSH)
    statuses: list[int] = []

    def tap(client, token):
        with app.app_context():
            start.wait()
            statuses.append(client.post(path, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=tap, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * RUSH
    db.session.rollback()  # see what the requests committed
    assert counted(talk.id) == (RUSH, RUSH)


def test_counts_are_rebuilt_when_a_backup_is_restored(app, make, talk, tmp_path):
    people = [make.user() for _ in range(4)]
    for person in people:
        star_session(person, talk.published)
    db.session.commit()
    runner = app.test_cli_runner()
    file = tmp_path / "confnet.json.gz"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    _empty_every_table()
    result = runner.invoke(args=["restore", str(file)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert counted(talk.id) == (4, 4)
