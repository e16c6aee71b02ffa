"""Rules that must hold when several requests race, on SQLite and PostgreSQL alike."""

import threading

from helpers import csrf
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import Membership

CLIENTS = 6


def test_simultaneous_joins_make_exactly_one_membership(app, make):
    user = make.user()
    make.conference("rush")
    db.session.commit()
    clients = []
    for _ in range(CLIENTS):  # the same person on several devices, or a hammered button
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, "/c/rush/")))
    start = threading.Barrier(CLIENTS)
    statuses: list[int] = []

    def join(client, token):
        with app.app_context():
            start.wait()
            statuses.append(client.post("/c/rush/join", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=join, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * CLIENTS
    db.session.rollback()  # end the test's snapshot: see what the workers committed
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
