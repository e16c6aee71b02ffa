"""Real concurrency through HTTP: threads with their own clients hit the same database at the
same moment. The rules hold because the database keeps them (the live-pair index, the
requester's row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), not because of timing."""

import threading

from sqlalchemy import select
from test_introductions_support import client_for, member, token

from confnet.extensions import db
from confnet.introductions.rules import DAILY_CAP
from confnet.models import Introduction, IntroductionStatus

PAIRS = 6
EXTRA = 5  # requests beyond the cap


def race(jobs) -> list:
    """Run every ``job()`` in its own thread, released together; their results in order."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(n, job):
        start.wait(timeout=60)
        results[n] = job()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post_job(app, client, url: str, data: dict):
    form = {**data, "csrf_token": token(client)}  # fetched before the starting gun

    def job():
        with app.app_context():
            response = client.post(url, data=form)
            return response.status_code, response.get_data(as_text=True)

    return job


def live_intros() -> list[Introduction]:
    db.session.rollback()  # see what the threads committed
    query = select(Introduction).where(
        Introduction.status.in_((IntroductionStatus.PENDING, IntroductionStatus.ACCEPTED))
    )
    return list(db.session.scalars(query))


def test_two_people_asking_each_other_at_once_get_one_introduction(app, make):
    conference = make.conference("rush")
    pairs = [(member(make, conference), member(make, conference)) for _ in range(PAIRS)]
    jobs = []
    for x, y in pairs:
        for asker, asked in ((x, y), (y, x)):
            client = client_for(app, asker, make.PASSWORD)
            url = f"/c/rush/introductions/ask/{asked.id}"
            jobs.append(post_job(app, client, url, {"message": f"{asker.id} asks"}))

    results = race(jobs)

    assert all(status in (302, 400) for status, _ in results), [s for s, _ in results]
    live = live_intros()
    assert sorted((i.person_a_id, i.person_b_id) for i in live) == sorted(
        tuple(sorted((x.id, y.id))) for x, y in pairs
    )
    for n in range(PAIRS):
        (first, _), (second, _) = results[2 * n], results[2 * n + 1]
        assert sorted((first, second)) == [302, 400]
    refusals = [body for status, body in results if status == 400]
    assert all("already" in body for body in refusals)


def test_parallel_requests_of_one_person_never_pass_the_daily_cap(app, make):
    conference = make.conference("rush")
    asker = member(make, conference)
    people = [member(make, conference) for _ in range(DAILY_CAP + EXTRA)]
    jobs = [
        post_job(
            app,
            client_for(app, asker, make.PASSWORD),
            f"/c/rush/introductions/ask/{person.id}",
            {"message": "Let's meet"},
        )
        for person in people
    ]

    results = race(jobs)

    statuses = sorted(status for status, _ in results)
    assert statuses == [302] * DAILY_CAP + [400] * EXTRA
    assert all("in the last 24 hours" in body for status, body in results if status == 400)
    assert len([i for i in live_intros() if i.requested_by_id == asker.id]) == DAILY_CAP


def test_both_saying_yes_at_once_to_a_brokered_introduction_connects_them(app, make):
    conference = make.conference("rush")
    introducer = member(make, conference)
    intros, jobs = [], []
    for _ in range(PAIRS):
        x, y = member(make, conference), member(make, conference)
        intros.append(
            make.introduction(conference, x, y, status=IntroductionStatus.PENDING, by=introducer)
        )
        for person in (x, y):
            url = f"/c/rush/introductions/{intros[-1].id}/accept"
            jobs.append(post_job(app, client_for(app, person, make.PASSWORD), url, {}))

    results = race(jobs)

    assert [status for status, _ in results] == [302] * len(jobs)
    db.session.rollback()
    for intro in intros:
        db.session.refresh(intro)
        assert intro.status is IntroductionStatus.ACCEPTED
        assert intro.decided_at is not None


def test_a_message_posted_twice_at_once_is_stored_once(app, make):
    from confnet.models import Message, Notification

    conference = make.conference("rush")
    anna, ben = member(make, conference), member(make, conference)
    intro = make.introduction(conference, anna, ben)
    db.session.commit()
    url = f"/c/rush/introductions/{intro.id}"
    jobs = [
        post_job(app, client_for(app, anna, make.PASSWORD), url, {"body": "On my way"})
        for _ in range(4)
    ]

    results = race(jobs)

    assert [status for status, _ in results] == [302] * 4
    db.session.rollback()
    assert db.session.scalars(select(Message.body)).all() == ["On my way"]
    assert len(db.session.scalars(select(Notification).filter_by(user_id=ben.id)).all()) == 1
