"""Rate limits on the actions people abuse, named here and applied with ``@limited(name)``.

Only POSTs count (reading a form never does), per account when logged in, else per client
address (the proxy's X-Forwarded-For, through ProxyFix in production), and for log-in and
password reset per address and e-mail address (see ``PER_EMAIL``). Counters live in
``RATELIMIT_STORAGE_URI``: ``memory://`` by default, which is right for one process; with
several gunicorn workers (or machines) set ``CONFNET_RATELIMIT_STORAGE_URI=redis://...`` so that
they share one count. A breach answers 429 with the site's error page and ``Retry-After``.

These sit on top of the log-in throttling kept in the database (``auth.services.LoginLimits``:
failures per account and address), which holds whatever the storage.
"""

from flask import current_app, request
from flask_limiter import RateLimitExceeded

from confnet.extensions import limiter
from confnet.security import SAFE_METHODS

LIMITS = {
    "log-in": "10 per minute;60 per hour",
    "sign-up": "20 per minute;200 per hour",
    "password-reset": "5 per hour",
    "introduction": "20 per hour",
    "note-save": "60 per minute",
}
# A venue's Wi-Fi puts hundreds of phones behind one address: anonymous limits on actions for
# one account count per address *and* e-mail address typed, so a roomful of people can all log
# in at once while one account can't be hammered. (Failures per address alone are limited by
# the database's log-in throttle.) Sign-up counts per address, with room for a crowd.
PER_EMAIL = frozenset({"log-in", "password-reset"})


def limited(name: str):
    """The view decorator for the limit ``name`` (its own counter, POSTs only)."""
    key = _address_and_email if name in PER_EMAIL else None
    return limiter.limit(
        LIMITS[name], methods=["POST"], scope=name, exempt_when=_limits_off, key_func=key
    )


@limiter.request_filter
def _reads_count_nothing() -> bool:
    # Every limit above counts POSTs only, so a read (each page view, each feed poll) skips the
    # limiter's search for limits that could apply, which cost a third of the cheapest
    # request's time. Unless an operator set limits for every route (RATELIMIT_DEFAULT or
    # RATELIMIT_APPLICATION): those count reads too.
    config = current_app.config
    everywhere = config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION")
    return request.method in SAFE_METHODS and not everywhere


def _address_and_email() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"address:{request.remote_addr or '-'}:{email}"


def _limits_off() -> bool:
    # Read per request, not at init_app: the limiter is one object for the process, and a
    # process may hold several apps (the test suite does).
    return not current_app.config["RATE_LIMITS"]


__all__ = ["LIMITS", "RateLimitExceeded", "limited"]
