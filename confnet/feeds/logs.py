"""Keeping feed tokens out of logs: a feed URL is a password.

Request logs (the Werkzeug development server, gunicorn's access and error logs, confnet's own
"unhandled error on GET /feeds/..." messages) would otherwise record every token a calendar
app polls with. ``RedactTokens`` rewrites ``/feeds/<token>`` (also percent-encoded, as in a
Google Calendar link) to ``/feeds/[redacted]`` in a record's message and arguments before any
handler sees it. ``install(app)`` puts it on those loggers; ``gunicorn.conf.py`` does the same
for gunicorn's loggers.
"""

import logging
import re

from flask import Flask

# "/feeds/<anything up to a separator>", but not the package's own source files in tracebacks.
_FEED_PATH = re.compile(
    r"(?:/|%2F)feeds(?:/|%2F)(?![\w.-]*\.pyc?(?![\w.]))[^\s\"'?&#/]+", re.IGNORECASE
)
REDACTED = "/feeds/[redacted]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """``text`` with every feed token replaced."""
    if "feeds" not in text.lower():
        return text
    return _FEED_PATH.sub(REDACTED, text)


def _redact_value(value):
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """Redacts feed tokens in a record's message and arguments (tuple or mapping)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def install(app: Flask) -> None:
    """Put the filter on the request loggers and on the handlers of the app's logger (whose
    child loggers, such as ``confnet.errors``, log through them)."""
    token_filter = RedactTokens()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(token_filter)
    for handler in app.logger.handlers:
        if not any(isinstance(f, RedactTokens) for f in handler.filters):
            handler.addFilter(token_filter)
