"""Workshop sign-up pages through HTTP: attendees, organizers, and bad input."""

import threading
from datetime import timedelta

from helpers import csrf
from sqlalchemy import func, select

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import ItemKind, Notification, Role, ScheduleItem, Seat, SeatStatus


def setup_workshop(make, capacity=1, **kw):
    conference = make.conference("ws", starts_on=utcnow().date() + timedelta(days=10))
    item = make.item(
        conference,
        title="Suturing basics",
        kind=ItemKind.WORKSHOP,
        capacity=capacity,
        signup_required=True,
        starts_at=utcnow() + timedelta(days=10),
        **kw,
    )
    make.publish(conference)
    return conference, item


def member(make, conference, role=Role.ATTENDEE, **kw):
    user = make.user(**kw)
    make.member(user, conference, role)
    return user


def seat_page(item):
    return f"/c/ws/sessions/{item.id}"


def test_sign_up_then_waitlist_then_promotion_with_notification(app, client, make, login, post):
    conference, item = setup_workshop(make, capacity=1)
    first, second = member(make, conference), member(make, conference)
    login(first)
    response = post(f"/c/ws/sessions/{item.id}/seats", page=seat_page(item), follow_redirects=True)
    assert "You have a seat in “Suturing basics”" in response.get_data(as_text=True)
    assert "Full" in client.get(seat_page(item)).get_data(as_text=True)

    other = app.test_client()
    other.post(
        "/log-in",
        data={"email": second.email, "password": make.PASSWORD, "csrf_token": csrf(other)},
    )
    response = other.post(
        f"/c/ws/sessions/{item.id}/seats",
        data={"csrf_token": csrf(other, seat_page(item))},
        follow_redirects=True,
    )
    assert "number 1 on the waitlist" in response.get_data(as_text=True)

    post(f"/c/ws/sessions/{item.id}/seats/cancel", page=seat_page(item))
    db.session.rollback()
    seat = db.session.scalar(select(Seat).filter_by(user_id=second.id))
    assert seat.status is SeatStatus.CONFIRMED
    assert "You have a seat" in other.get(seat_page(item)).get_data(as_text=True)
    assert "Suturing basics" in other.get("/notifications").get_data(as_text=True)
    assert "Seat confirmed" in other.get("/c/ws/my-workshops").get_data(as_text=True)


def test_the_button_says_why_sign_up_is_closed(client, make, login):
    conference, item = setup_workshop(make, signup_opens_at=utcnow() + timedelta(days=1))
    login(member(make, conference))
    html = client.get(seat_page(item)).get_data(as_text=True)
    assert "Sign-up has not opened yet." in html and "disabled" in html


def test_bad_sign_up_requests_change_nothing(client, make, login, post):
    conference, item = setup_workshop(make)
    talk = make.item(conference, title="A talk")
    make.publish(conference)
    stranger = make.user()
    login(stranger)
    anywhere = "/account/profile"  # any page with a CSRF token
    assert post(f"/c/ws/sessions/{item.id}/seats", page=anywhere).status_code == 403
    assert client.post(f"/c/ws/sessions/{item.id}/seats").status_code == 400  # no CSRF
    make.member(stranger, conference)
    assert post("/c/ws/sessions/999999/seats", page=anywhere).status_code == 404
    response = post(f"/c/ws/sessions/{talk.id}/seats", page=anywhere, follow_redirects=True)
    assert "no sign-up" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Seat)) == 0


def test_simultaneous_requests_never_overbook(app, make):
    conference, item = setup_workshop(make, capacity=3)
    users = [member(make, conference) for _ in range(8)]
    db.session.commit()
    clients = []
    for user in users:
        client = app.test_client()
        client.post(
            "/log-in",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        clients.append((client, csrf(client, seat_page(item))))
    start, statuses = threading.Barrier(len(clients)), []
    url = f"/c/ws/sessions/{item.id}/seats"  # read before the threads: objects aren't shared

    def press(client, token):
        with app.app_context():
            start.wait()
            response = client.post(url, data={"csrf_token": token})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=press, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(users)
    db.session.rollback()
    counts = dict(db.session.execute(select(Seat.status, func.count()).group_by(Seat.status)).all())
    assert counts == {SeatStatus.CONFIRMED: 3, SeatStatus.WAITLISTED: 5}
    assert db.session.get(ScheduleItem, item.id).seats_taken == 3


def test_organizer_runs_the_workshop(client, make, login, post):
    conference, item = setup_workshop(make, capacity=1)
    organizer = member(make, conference, Role.ORGANIZER)
    holder = member(make, conference, name="Ada Holder")
    waiting = member(make, conference, name="=HYPERLINK(evil)")
    from confnet.workshops.services import sign_up

    sign_up(holder, item, now=utcnow(), tz=conference.tz)
    waiter = sign_up(waiting, item, now=utcnow(), tz=conference.tz).seat
    login(organizer)
    page = f"/c/ws/manage/workshops/{item.id}"
    form = {"capacity": "0", "mode": "first come", "waitlist_enabled": "y"}
    assert "Number must be between 1 and" in post(page, form).get_data(as_text=True)
    response = post(page, {**form, "capacity": "2"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Seat, waiter.id).status is SeatStatus.CONFIRMED
    assert db.session.scalar(select(Notification).filter_by(user_id=waiting.id))

    csv = client.get(f"{page}/roster.csv")
    assert csv.mimetype == "text/csv" and "'=HYPERLINK(evil)" in csv.get_data(as_text=True)
    holder_seat = db.session.scalar(select(Seat).filter_by(user_id=holder.id))
    door = f"{page}/door"
    assert "Ada Holder" in client.get(f"{door}?q=ada").get_data(as_text=True)
    post(f"{page}/seats/{holder_seat.id}/check-in", {"q": "ada"}, page=door)
    db.session.rollback()
    assert db.session.get(Seat, holder_seat.id).checked_in_at is not None
    assert "1 of 2 here" in client.get(door).get_data(as_text=True)


def test_workshop_management_is_for_organizers_only(client, make, login):
    conference, item = setup_workshop(make)
    login(member(make, conference))
    for path in [
        "/c/ws/manage/workshops",
        f"/c/ws/manage/workshops/{item.id}",
        f"/c/ws/manage/workshops/{item.id}/door",
        f"/c/ws/manage/workshops/{item.id}/roster.csv",
    ]:
        assert client.get(path).status_code == 403, path
