"""Configuration: defaults, then ``instance/config.py``, then the environment.

The secret key is never a constant in the code: it comes from ``SECRET_KEY`` in the environment
or ``instance/config.py``, or is generated once into ``instance/secret_key``.
"""

import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: phones keep tabs open for days
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # Static files under their plain names (and any send_file) are kept briefly; their
    # content-hashed names (confnet.web_assets) are kept for a year.
    "SEND_FILE_MAX_AGE_DEFAULT": 300,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "confnet <no-reply@localhost>",
    "LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS": 5,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 50,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_THROTTLE_MINUTES": 15,
    "PASSWORD_RESET_MAX_AGE": 3600,
    "PRODUCTION": False,
    # Rate limits (confnet.limits): counters in memory (one process) unless
    # CONFNET_RATELIMIT_STORAGE_URI names a Redis server that every worker shares.
    "RATE_LIMITS": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "confnet",
    # Keep feed poll answers until the database changes (confnet.watch).
    "WATCH_DATABASE": True,
}

ENV_SETTINGS = ("SECRET_KEY", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM")


def database_url(raw: str) -> str:
    """Normalise a ``DATABASE_URL`` so PostgreSQL URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config``; ``test_config`` wins over everything else."""
    app.config.from_mapping(DEFAULTS)
    instance = Path(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'confnet.sqlite3'}"
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _load_environment(app)
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["PRODUCTION"]:
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")


def _load_environment(app: Flask) -> None:
    env = os.environ
    if env.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    for name in ENV_SETTINGS:
        if env.get(name):
            app.config[name] = env[name]
    if env.get("MAIL_PORT"):
        app.config["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = env["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    app.config["PRODUCTION"] = env.get("CONFNET_ENV", "").lower() == "production"
    # Anything else can be set as CONFNET_<NAME>, parsed as JSON when it looks like JSON.
    app.config.from_prefixed_env("CONFNET")


def _instance_secret(path: Path) -> str:
    """Read the instance secret, creating it on first run.

    Several workers may start at once: the secret is written to a private temporary file and
    hard-linked into place, so every worker reads the same complete secret.
    """
    if path.exists():
        return path.read_text().strip()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another worker won the race; use its secret
    finally:
        tmp.unlink()
    return path.read_text().strip()
