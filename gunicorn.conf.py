"""gunicorn settings for confnet, read from the working directory (``gunicorn app:app``).

Feed URLs are secrets (``/feeds/<token>.ics``), and request logs would record every token a
calendar app polls with: this logger writes ``/feeds/[redacted]`` instead, in the access log
(``--access-logfile -``, off by default) and in the error log. Everything else (workers, bind
address) is given on the command line; see the README's Production section.

Each worker, once it has loaded the app, hides it from the garbage collector
(``post_worker_init``).
"""

import gc

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


def post_worker_init(worker):
    """Move everything the worker has made so far (modules, the app, its caches) out of the
    garbage collector's sight: none of it will ever be garbage, and a full collection would
    otherwise walk it all (about 90 ms here, in the middle of whichever request triggered it).
    """
    gc.collect()
    gc.freeze()
