"""The opening rush: several processes sign up for the last seats at the same moment."""

import multiprocessing
from datetime import UTC, datetime, timedelta

from helpers import app_config
from sqlalchemy import select

from confnet import create_app
from confnet.database import write_intent
from confnet.extensions import db
from confnet.models import ItemKind, ScheduleItem, Seat, SeatStatus, User
from confnet.workshops.services import sign_up, waitlist_position

PROCESSES, PER_PROCESS, CAPACITY = 6, 5, 10
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


def _rush(uri: str, user_ids: list[int], item_id: int, barrier, results) -> None:
    app = create_app(app_config(uri))
    with app.app_context():
        db.session.execute(select(1))  # connect before the starting gun
        db.session.rollback()
        barrier.wait(timeout=60)
        for user_id in user_ids:
            try:
                with write_intent():
                    user, item = (
                        db.session.get(User, user_id),
                        db.session.get(ScheduleItem, item_id),
                    )
                    status = sign_up(user, item, now=NOW, tz=UTC).seat.status.value
                    db.session.commit()
                db.session.close()  # like the end of a request: no transaction left open
                results.put((user_id, status))
            except Exception as err:  # reported, so the test names it
                db.session.rollback()
                results.put((user_id, f"error: {err!r}"))


def test_many_processes_never_overbook_and_lose_nobody(app, make, database_uri):
    conference = make.conference()
    item = make.item(
        conference,
        kind=ItemKind.WORKSHOP,
        capacity=CAPACITY,
        signup_required=True,
        starts_at=NOW + timedelta(days=6),
    )
    users = [make.user() for _ in range(PROCESSES * PER_PROCESS)]
    make.publish(conference)
    db.session.commit()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    ids = [u.id for u in users]
    workers = [
        ctx.Process(target=_rush, args=(database_uri, ids[i::PROCESSES], item.id, barrier, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in ids]
    for worker in workers:
        worker.join(timeout=60)

    assert not [a for a in answers if a[1].startswith("error")]
    db.session.rollback()  # end the test's snapshot: see what the workers committed
    seats = db.session.scalars(select(Seat).order_by(Seat.id)).all()
    assert len(seats) == len(ids)  # nobody lost, nobody twice
    confirmed = [s for s in seats if s.status is SeatStatus.CONFIRMED]
    waitlisted = [s for s in seats if s.status is SeatStatus.WAITLISTED]
    assert len(confirmed) == CAPACITY
    assert db.session.get(ScheduleItem, item.id).seats_taken == CAPACITY
    # The waitlist is in arrival order, and everyone confirmed arrived before it.
    assert [waitlist_position(s) for s in waitlisted] == list(range(1, len(waitlisted) + 1))
    assert max(s.id for s in confirmed) < min(s.id for s in waitlisted)
