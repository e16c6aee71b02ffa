"""Sign-up, log-in, log-out and password reset through HTTP."""

import re

from helpers import csrf
from sqlalchemy import select

from confnet.extensions import db
from confnet.models import OutboxMessage, User


def test_sign_up_then_log_in_then_log_out(client, post):
    response = post(
        "/sign-up",
        {
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": "analytical engine",
            "confirm": "analytical engine",
        },
    )
    assert response.status_code == 302 and "/log-in" in response.location
    response = post("/log-in", {"email": "ada@example.org", "password": "analytical engine"})
    assert response.status_code == 302
    assert "Hello, Ada" in client.get("/").get_data(as_text=True)
    response = post("/log-out", page="/account/profile")
    assert response.status_code == 302
    assert "Hello, Ada" not in client.get("/").get_data(as_text=True)


def test_log_out_needs_post_with_csrf(client, login, make):
    login(make.user())
    assert client.post("/log-out").status_code == 400
    assert client.get("/account/profile").status_code == 200  # still logged in


def test_sign_up_form_errors_are_shown_next_to_fields(post):
    response = post(
        "/sign-up",
        {"name": "", "email": "not-an-address", "password": "short", "confirm": "different"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "Enter an email address" in html and "don&#39;t match" in html
    assert db.session.scalar(select(User)) is None


def test_sign_up_with_a_taken_address_looks_like_success(post, make):
    make.user("taken@example.org")
    db.session.commit()
    response = post(
        "/sign-up",
        {
            "name": "X",
            "email": "taken@example.org",
            "password": "whatever long",
            "confirm": "whatever long",
        },
    )
    assert response.status_code == 302 and "/log-in" in response.location
    assert len(db.session.scalars(select(User)).all()) == 1


def test_failed_log_in_does_not_tell_whether_the_account_exists(post, make):
    make.user("real@example.org")
    db.session.commit()
    wrong = post("/log-in", {"email": "real@example.org", "password": "wrong password"})
    unknown = post("/log-in", {"email": "ghost@example.org", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 200
    message = "That email and password don&#39;t match an account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_repeated_failures_are_answered_with_429(app, post, make):
    make.user("real@example.org")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]):
        post("/log-in", {"email": "real@example.org", "password": "wrong password"})
    response = post("/log-in", {"email": "real@example.org", "password": "wrong password"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_log_in_ignores_redirects_to_other_sites(client, make):
    user = make.user()
    db.session.commit()
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        client.get("/")
        response = client.post(
            f"/log-in?next={target}",
            data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
        )
        assert response.location in ("/", "http://confnet.test/")
        client.post("/log-out", data={"csrf_token": csrf(client, "/account/profile")})


def test_log_in_follows_a_local_next(client, make):
    user = make.user()
    db.session.commit()
    response = client.post(
        "/log-in?next=/conferences",
        data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(client)},
    )
    assert response.location.endswith("/conferences")


def test_session_cookie_is_httponly_and_samesite(client, make, login):
    login(make.user())
    cookie = client.get_cookie("session", domain="confnet.test")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_password_reset_by_emailed_link(client, post, make):
    make.user("forgot@example.org")
    db.session.commit()
    response = post("/password-resets", {"email": "forgot@example.org"})
    assert response.status_code == 302
    body = db.session.scalars(select(OutboxMessage)).one().body
    path = re.search(r"http://confnet\.test(/password-resets/\S+)", body).group(1)
    response = post(path, {"password": "fresh password 1", "confirm": "fresh password 1"})
    assert response.status_code == 302
    response = post("/log-in", {"email": "forgot@example.org", "password": "fresh password 1"})
    assert response.status_code == 302
    # The same link is dead now.
    assert client.get(path).status_code == 400


def test_password_reset_request_answers_the_same_for_unknown_addresses(client, post):
    response = post("/password-resets", {"email": "ghost@example.org"}, follow_redirects=True)
    assert "If that address has an account" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_a_garbage_reset_link_gets_a_readable_400(client):
    response = client.get("/password-resets/garbage")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_changing_the_password_logs_out_other_devices(app, make, login):
    user = make.user()
    db.session.commit()
    other = app.test_client()
    other.post(
        "/log-in", data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(other)}
    )
    assert other.get("/account/profile").status_code == 200
    client = login(user)
    response = client.post(
        "/account/password",
        data={
            "current": make.PASSWORD,
            "password": "completely new pw",
            "confirm": "completely new pw",
            "csrf_token": csrf(client, "/account/password"),
        },
    )
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302  # sent to log in


def test_pages_that_need_a_login_redirect_to_it(client):
    response = client.get("/account/profile")
    assert response.status_code == 302 and "/log-in?next=" in response.location


def test_log_out_also_forgets_a_remembered_device(app, client, make, post):
    user = make.user()
    post("/log-in", {"email": user.email, "password": make.PASSWORD, "remember": "y"})
    remembered = client.get_cookie("remember_token", domain="confnet.test")
    assert remembered is not None
    post("/log-out", page="/account/profile")
    assert client.get_cookie("remember_token", domain="confnet.test") is None
    assert client.get("/account/profile").status_code == 302


def test_log_out_everywhere_kills_remembered_devices(app, client, make, post):
    user = make.user()
    other = app.test_client()
    other.post(
        "/log-in",
        data={
            "email": user.email,
            "password": make.PASSWORD,
            "remember": "y",
            "csrf_token": csrf(other),
        },
    )
    remembered = other.get_cookie("remember_token", domain="confnet.test")

    def replay_status() -> int:  # a browser that kept only the remember-me cookie
        replay = app.test_client()
        replay.set_cookie("remember_token", remembered.value, domain="confnet.test")
        return replay.get("/account/profile").status_code

    assert replay_status() == 200
    post("/log-in", {"email": user.email, "password": make.PASSWORD})
    assert post("/log-out-everywhere", page="/account/profile").status_code == 302
    assert other.get("/account/profile").status_code == 302
    assert replay_status() == 302


def test_a_signed_out_session_is_a_visitor_on_conference_pages_too(app, client, make, post):
    """Conference pages read the account with the conference (web.load_visitor): a session
    whose account logged out everywhere is still nobody there, and a member's is a member."""
    user = make.user()
    conference = make.conference("medconf")
    make.member(user, conference)
    other = app.test_client()
    other.post(
        "/log-in",
        data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(other)},
    )
    assert other.get("/c/medconf/agenda").status_code == 200
    post("/log-in", {"email": user.email, "password": make.PASSWORD})
    assert post("/log-out-everywhere", page="/account/profile").status_code == 302
    assert other.get("/c/medconf/agenda").status_code == 302
    assert other.get("/c/nowhere/agenda").status_code == 302


def test_nul_bytes_are_refused_with_400_on_every_database(client, post):
    assert client.get("/c/a%00b/").status_code == 400
    assert client.get("/conferences?q=%00").status_code == 400
    response = post("/log-in", {"email": "a\x00@example.org", "password": "whatever long"})
    assert response.status_code == 400


def test_a_used_reset_link_offers_a_new_one(client):
    response = client.get("/password-resets/garbage")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not valid" in html and "Send me a new link" in html


def test_sign_up_keeps_the_address_out_of_the_url_but_prefills_it(client, post):
    response = post(
        "/sign-up",
        {
            "name": "Ada",
            "email": "ada@example.org",
            "password": "analytical engine",
            "confirm": "analytical engine",
        },
    )
    assert "ada@example.org" not in response.location
    assert 'value="ada@example.org"' in client.get(response.location).get_data(as_text=True)


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/log-in").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{8}\.css)"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_log_in_checks_the_password_without_holding_the_write_lock(app, client, make, post):
    """On SQLite every POST normally starts with BEGIN IMMEDIATE; the slow password check
    must not, or every log-in would stall all other writers for its duration."""
    from sqlalchemy import event

    user = make.user()
    token = csrf(client)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(
            "/log-in", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 302
    assert "BEGIN IMMEDIATE" not in statements
    assert any("FROM users" in s for s in statements)
