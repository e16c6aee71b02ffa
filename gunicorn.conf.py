"""gunicorn settings for confnet, read from the working directory (``gunicorn app:app``).

Feed URLs are secrets (``/feeds/<token>.ics``), and request logs would record every token a
calendar app polls with: this logger writes ``/feeds/[redacted]`` instead, in the access log
(``--access-logfile -``, off by default) and in the error log. Everything else (workers, bind
address) is given on the command line; see the README's Production section.
"""

from gunicorn.glogging import Logger

from confnet.feeds.logs import RedactTokens, redact


class RedactingLogger(Logger):
    """gunicorn's logger, without feed tokens."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}


logger_class = RedactingLogger
