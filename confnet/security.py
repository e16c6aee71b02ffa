"""Response headers that make the safe choice the default for every page."""

from flask import Flask, abort, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from confnet.database import reset_write_intent, set_write_intent

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: ids between 1 and PostgreSQL's INTEGER maximum, so a huge
    number in a URL is a 404 instead of an overflow deep in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def register(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul_bytes():
        # No text a person types contains NUL, and PostgreSQL refuses to store it.
        if "\x00" in request.path or _has_nul(request.args.values()):
            abort(400)
        if request.method not in SAFE_METHODS and _has_nul(request.form.values()):
            abort(400)

    @app.before_request
    def forms_take_forms():
        # Forms read form encodings; Flask-WTF would also read a JSON body, and break on one
        # that isn't an object. Only views marked with ``web.takes_json`` accept JSON.
        if request.method not in SAFE_METHODS and request.is_json:
            view = app.view_functions.get(request.endpoint)
            if not getattr(view, "takes_json", False):
                abort(415)

    if app.config["PRODUCTION"]:
        # Behind one reverse proxy that sets X-Forwarded-For/-Proto/-Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.before_request
    def declare_write_intent():
        # On SQLite, transactions of unsafe requests begin IMMEDIATE (see confnet.database).
        g._write_intent_token = set_write_intent(request.method not in SAFE_METHODS)

    @app.teardown_request
    def forget_write_intent(_error=None):
        # Whatever runs next in this thread (the test client's caller, a CLI command) starts
        # from its own intent, not from this request's.
        token = g.pop("_write_intent_token", None)
        if token is not None:
            reset_write_intent(token)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["PRODUCTION"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html" and "Cache-Control" not in headers:
            # Pages depend on who is logged in: never let a shared cache keep them.
            headers["Cache-Control"] = "private, no-cache"
        return response
