"""Accounts and authentication: sign-up, log-in with throttling, password change and reset.

Messages never reveal whether an address has an account.
"""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.mail import Mailer
from confnet.models import AuthEvent, AuthEventKind, User
from confnet.models.users import new_nonce

MIN_PASSWORD_LENGTH = 10
# Checked against when the address is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("confnet-timing-equaliser")


class InvalidCredentials(DomainError):
    pass


class Throttled(DomainError):
    status = 429


class WeakPassword(DomainError):
    pass


class InvalidResetLink(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    """scrypt via Werkzeug: memory-hard, salted."""
    return generate_password_hash(password, method="scrypt")


def check_password_strength(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if email and password.lower() == normalise_email(email):
        raise WeakPassword("Don't use your email address as your password.")


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).filter_by(email=normalise_email(email)))


def create_user(email: str, name: str, password: str, *, site_admin: bool = False) -> User:
    """Create an account. Raises ``DomainError`` if the address is taken (for admin tools)."""
    email = normalise_email(email)
    check_password_strength(password, email)
    if get_user_by_email(email) is not None:
        raise DomainError(f"There is already an account for {email}.")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    user.is_site_admin = site_admin
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(
    email: str, name: str, password: str, *, mailer: Mailer, login_link: str
) -> User | None:
    """Register a new account, or tell the owner of an existing one; the caller can't tell which.

    Returns the new user, or None when the address already had an account (its owner gets an
    email instead). The caller shows the same message either way.
    """
    check_password_strength(password, email)
    existing = get_user_by_email(email)
    if existing is not None:
        hash_password(password)  # same work as the other path
        mailer.send(
            existing.email,
            "Someone tried to sign up with your address",
            f"Hello {existing.name},\n\nSomeone tried to create a confnet account with this "
            f"address. You already have one: log in at {login_link}\nIf you forgot your password, "
            "use 'Forgot your password?' on that page.\n",
        )
        return None
    user = create_user(email, name, password)
    mailer.send(
        user.email,
        "Welcome to confnet",
        f"Hello {user.name},\n\nYour confnet account is ready. Log in at {login_link}\n",
    )
    return user


def _recent_count(kind: AuthEventKind, since: datetime, **match: str) -> int:
    query = select(func.count()).select_from(AuthEvent).filter_by(kind=kind, **match)
    return db.session.scalar(query.where(AuthEvent.created_at >= since)) or 0


@dataclass(frozen=True)
class LoginLimits:
    """Failed log-ins allowed within ``window`` minutes before further tries are refused.

    The tight limit is per account *and* address, so a stranger guessing elsewhere can't lock
    the owner out; the looser per-account limit still stops guessing spread over many addresses.
    """

    per_account_and_address: int = 5
    per_account: int = 50
    per_address: int = 20
    window: int = 15

    @classmethod
    def from_config(cls, config: Mapping) -> "LoginLimits":
        return cls(
            per_account_and_address=config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"],
            per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
            per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            window=config["LOGIN_THROTTLE_MINUTES"],
        )


def authenticate(email: str, password: str, ip: str, limits: LoginLimits) -> User:
    """The user with these credentials. Reads only: the caller records a failure afterwards
    with ``record_login_failure``, in a transaction of its own (see the log-in view).

    Raises ``Throttled`` when a limit is reached, ``InvalidCredentials`` for a wrong pair.
    """
    email = normalise_email(email)
    since = utcnow() - timedelta(minutes=limits.window)
    kind = AuthEventKind.LOGIN_FAILURE
    if (
        _recent_count(kind, since, email=email, ip=ip) >= limits.per_account_and_address
        or _recent_count(kind, since, email=email) >= limits.per_account
        or _recent_count(kind, since, ip=ip) >= limits.per_address
    ):
        raise Throttled(
            f"Too many failed attempts. Wait {limits.window} minutes, or reset your password."
        )
    user = get_user_by_email(email)
    if not check_password_hash(user.password_hash if user else _DUMMY_HASH, password) or not user:
        raise InvalidCredentials("That email and password don't match an account.")
    return user


def record_login_failure(email: str, ip: str) -> None:
    """Count a failed log-in towards the throttling limits."""
    kind = AuthEventKind.LOGIN_FAILURE
    db.session.add(AuthEvent(kind=kind, email=normalise_email(email)[:254], ip=ip[:45]))
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; signs out the user's other devices."""
    if not check_password_hash(user.password_hash, current):
        raise InvalidCredentials("Your current password is not right.")
    if new == current:
        raise WeakPassword("Choose a password different from your current one.")
    _set_password(user, new)


def _set_password(user: User, new: str) -> None:
    check_password_strength(new, user.email)
    user.password_hash = hash_password(new)
    user.login_nonce = new_nonce()
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user`` (including this one)."""
    user.login_nonce = new_nonce()
    db.session.flush()


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="confnet.password-reset")


def _fingerprint(user: User) -> str:
    # The token dies as soon as the password changes, which makes it single-use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(
    email: str, ip: str, *, secret_key: str, link: Callable[[str], str], mailer: Mailer
) -> None:
    """Email a reset link if the address has an account; silent (but throttled) otherwise."""
    email = normalise_email(email)
    since = utcnow() - timedelta(hours=1)
    kind = AuthEventKind.RESET_REQUEST
    if _recent_count(kind, since, email=email) >= 3 or _recent_count(kind, since, ip=ip) >= 20:
        return  # quietly: the answer must look the same as for any other address
    db.session.add(AuthEvent(kind=kind, email=email[:254], ip=ip[:45]))
    user = get_user_by_email(email)
    if user is None:
        return
    token = _serializer(secret_key).dumps({"uid": user.id, "fp": _fingerprint(user)})
    mailer.send(
        user.email,
        "Reset your confnet password",
        f"Hello {user.name},\n\nTo choose a new password, open this link within an hour:\n"
        f"{link(token)}\n\nIf you didn't ask for this, ignore this message.\n",
    )


def user_for_reset_token(token: str, *, secret_key: str, max_age: int) -> User:
    """The user a reset token was issued to, if it is genuine, fresh and unused."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidResetLink("This reset link has expired. Ask for a new one.") from None
    except BadSignature:
        raise InvalidResetLink("This reset link is not valid. Ask for a new one.") from None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not hmac.compare_digest(str(data.get("fp")), _fingerprint(user)):
        raise InvalidResetLink("This reset link was already used. Ask for a new one.")
    return user


def reset_password(token: str, new: str, *, secret_key: str, max_age: int) -> User:
    user = user_for_reset_token(token, secret_key=secret_key, max_age=max_age)
    _set_password(user, new)
    return user


def load_user_from_cookie_id(cookie_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<nonce>"``, where a stale nonce means signed out."""
    user_id, _, nonce = cookie_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.login_nonce, nonce):
        return None
    return user
