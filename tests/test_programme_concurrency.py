"""Organizers publishing at the same moment: release numbers stay unique and consecutive."""

import threading

from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import PublishedItem, Release, Role

CLIENTS = 6


def test_simultaneous_edits_and_publishes_number_releases_without_gaps(app, make):
    conference = make.conference("rush")
    clients = []
    for _ in range(CLIENTS):  # several organizers at their laptops
        user = make.user()
        make.member(user, conference, Role.ORGANIZER)
        db.session.commit()
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, "/c/rush/manage/rooms")))
    start = threading.Barrier(CLIENTS)
    results: list[tuple[int, int, str]] = []

    def edit_and_publish(n, client, token):
        with app.app_context():
            start.wait()
            session = {
                "csrf_token": token,
                "title": f"Talk {n}",
                "kind": "talk",
                "day": "2027-03-26",
                "starts": f"{9 + n:02d}:00",
                "ends": f"{9 + n:02d}:45",
            }
            created = client.post("/c/rush/manage/sessions/new", data=session)
            published = client.post("/c/rush/manage/releases", data={"csrf_token": token})
            results.append(
                (created.status_code, published.status_code, published.get_data(as_text=True))
            )

    threads = [
        threading.Thread(target=edit_and_publish, args=(n, *pair)) for n, pair in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == CLIENTS
    assert [created for created, _, _ in results] == [302] * CLIENTS
    # A publish either made a release (302) or found that an earlier one took its change (200).
    for _, status, body in results:
        assert status == 302 or (status == 200 and "nothing to publish" in body), status
    db.session.expire_all()
    numbers = db.session.scalars(select(Release.number).order_by(Release.number)).all()
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == sum(status == 302 for _, status, _ in results) >= 1
    assert db.session.scalar(select(func.count()).select_from(PublishedItem)) == CLIENTS
