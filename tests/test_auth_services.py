"""Accounts and authentication, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from confnet.auth import services
from confnet.extensions import db
from confnet.mail import OutboxMailer
from confnet.models import AuthEvent, OutboxMessage

LIMITS = services.LoginLimits(per_account_and_address=3, per_account=4, per_address=5)


def test_create_user_normalises_the_address_and_hashes_the_password():
    user = services.create_user("  Ada@Example.ORG ", "Ada", "long enough pw")
    assert user.email == "ada@example.org"
    assert user.password_hash.startswith("scrypt:")
    assert "long enough pw" not in user.password_hash


@pytest.mark.parametrize("password", ["short", "ada@example.org"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(services.WeakPassword):
        services.create_user("ada@example.org", "Ada", password)


def test_authenticate_accepts_any_case_of_the_address(make):
    user = make.user("grace@example.org")
    assert services.authenticate("GRACE@example.org", make.PASSWORD, "10.0.0.1", LIMITS) == user


def fail_login(email: str, ip: str) -> None:
    """A wrong password, counted the way the log-in view counts it."""
    with pytest.raises(services.InvalidCredentials):
        services.authenticate(email, "wrong", ip, LIMITS)
    services.record_login_failure(email, ip)


def test_wrong_password_and_unknown_address_get_the_same_message(make):
    make.user("grace@example.org")
    with pytest.raises(services.InvalidCredentials) as wrong:
        services.authenticate("grace@example.org", "nope nope nope", "10.0.0.1", LIMITS)
    with pytest.raises(services.InvalidCredentials) as unknown:
        services.authenticate("nobody@example.org", "nope nope nope", "10.0.0.1", LIMITS)
    assert wrong.value.message == unknown.value.message
    assert db.session.scalar(select(AuthEvent)) is None  # checking reads only; the view records


def test_login_is_throttled_per_account_and_address_even_with_the_right_password(make):
    make.user("grace@example.org")
    for _ in range(3):
        fail_login("grace@example.org", "10.0.0.1")
    with pytest.raises(services.Throttled):
        services.authenticate("grace@example.org", make.PASSWORD, "10.0.0.1", LIMITS)
    # The owner, elsewhere, is not locked out by someone guessing from one address.
    assert services.authenticate("grace@example.org", make.PASSWORD, "10.0.9.9", LIMITS)


def test_login_is_throttled_per_account_across_addresses(make):
    make.user("grace@example.org")
    for i in range(4):
        fail_login("grace@example.org", f"10.0.0.{i}")
    with pytest.raises(services.Throttled):
        services.authenticate("grace@example.org", make.PASSWORD, "10.0.9.9", LIMITS)


def test_login_is_throttled_per_address_across_accounts(make):
    make.user("grace@example.org")
    for i in range(5):
        fail_login(f"guess{i}@example.org", "10.0.0.1")
    with pytest.raises(services.Throttled):
        services.authenticate("grace@example.org", make.PASSWORD, "10.0.0.1", LIMITS)
    # Another address is not affected.
    assert services.authenticate("grace@example.org", make.PASSWORD, "10.0.0.2", LIMITS)


def test_sign_up_with_a_taken_address_creates_nothing_and_tells_the_owner(make):
    owner = make.user("taken@example.org")
    result = services.sign_up(
        "taken@example.org",
        "Mallory",
        "another password",
        mailer=OutboxMailer(),
        login_link="http://x/log-in",
    )
    assert result is None
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == owner.email and "tried to" in mail.body


def test_change_password_needs_the_current_one_and_signs_out_other_devices(make):
    user = make.user()
    old_cookie_id = user.get_id()
    with pytest.raises(services.InvalidCredentials):
        services.change_password(user, "not it", "a brand new password")
    services.change_password(user, make.PASSWORD, "a brand new password")
    assert services.load_user_from_cookie_id(old_cookie_id) is None
    assert services.load_user_from_cookie_id(user.get_id()) == user


def _reset_token(make, email="reset@example.org"):
    user = make.user(email)
    tokens = []
    services.request_password_reset(
        email,
        "10.0.0.1",
        secret_key="k",
        mailer=OutboxMailer(),
        link=lambda token: tokens.append(token) or f"http://x/{token}",
    )
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert f"http://x/{tokens[0]}" in mail.body
    return user, tokens[0]


def test_a_reset_link_works_once(make):
    user, token = _reset_token(make)
    services.reset_password(token, "my new password!", secret_key="k", max_age=3600)
    assert services.authenticate(user.email, "my new password!", "10.0.0.1", LIMITS) == user
    with pytest.raises(services.InvalidResetLink, match="already used"):
        services.reset_password(token, "yet another one", secret_key="k", max_age=3600)


def test_a_forged_or_expired_reset_link_is_refused(make, monkeypatch):
    _user, token = _reset_token(make)
    with pytest.raises(services.InvalidResetLink, match="not valid"):
        services.user_for_reset_token(token + "x", secret_key="k", max_age=3600)
    with pytest.raises(services.InvalidResetLink, match="not valid"):
        services.user_for_reset_token(token, secret_key="other key", max_age=3600)
    later = services.utcnow() + timedelta(hours=2)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later.timestamp())
    with pytest.raises(services.InvalidResetLink, match="expired"):
        services.user_for_reset_token(token, secret_key="k", max_age=3600)


def test_reset_requests_mail_only_real_accounts_and_are_throttled(make):
    make.user("real@example.org")
    for _ in range(5):
        services.request_password_reset(
            "real@example.org",
            "10.0.0.1",
            secret_key="k",
            link=lambda t: f"http://x/{t}",
            mailer=OutboxMailer(),
        )
    services.request_password_reset(
        "ghost@example.org",
        "10.0.0.1",
        secret_key="k",
        link=lambda t: f"http://x/{t}",
        mailer=OutboxMailer(),
    )
    sent = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert sent == ["real@example.org"] * 3


def test_cookie_ids_that_are_malformed_load_nobody(make):
    make.user()
    for cookie_id in ["", "abc", "1", "1:", "999:x", ":"]:
        assert services.load_user_from_cookie_id(cookie_id) is None


def test_the_new_password_must_differ_from_the_current_one(make):
    user = make.user()
    with pytest.raises(services.WeakPassword, match="different"):
        services.change_password(user, make.PASSWORD, make.PASSWORD)
