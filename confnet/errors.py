"""Domain errors and the error pages (400, 403, 404, 405, 429, 500) in the site layout."""

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A broken business rule; ``message`` is written for the person who caused it."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    status = 403


TITLES = {
    400: (
        "Something was wrong with that request",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "That page is not yours to see",
        "You may need to log in with another account or join this conference.",
    ),
    404: ("We couldn't find that page", "It may have moved, or the link may be mistyped."),
    405: (
        "That action isn't possible here",
        "Use the buttons on the page rather than typing the address.",
    ),
    413: ("That upload is too large", "Try a smaller file."),
    415: ("That kind of data isn't accepted here", "Send the form from the page instead."),
    429: (
        "Slow down a little",
        "Too many attempts in a short time. Wait a few minutes and try again.",
    ),
    500: ("Something went wrong on our side", "It's been logged. Try again in a moment."),
}


def render_error(status: int, message: str | None = None):
    title, hint = TITLES.get(status, TITLES[400] if status < 500 else TITLES[500])
    if request.path.endswith(".json") or request.accept_mimetypes.best == "application/json":
        body = jsonify(error=title, message=message or hint)
    else:
        try:
            body = render_template(
                "errors/error.html", status=status, title=title, message=message or hint
            )
        except Exception:  # the layout needs the database; an error page must not
            log.exception("could not render the error page")
            body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{hint}</p>"
    return make_response(body, status)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_err):
        return render_error(
            400,
            "This form was open too long or came from elsewhere. Reload the page and try again.",
        )

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return render_error(err.status, err.message)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        response = render_error(err.code or 500)
        if err.code == 405 and err.valid_methods:
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unhandled(err: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        from confnet.extensions import db

        db.session.rollback()
        return render_error(500)
