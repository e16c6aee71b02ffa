"""gzip for text responses (HTML, JSON, calendars, CSS, JS, SVG) when the client accepts it.

Compressed and identity bodies are two representations of one resource (RFC 9110 8.8.3): a
strong ETag ``"x"`` becomes ``"x-gzip"`` on the compressed one. Views keep deciding 304s from
their own ETags: when the client sends ``"x-gzip"`` back (and still accepts gzip), the request's
If-None-Match is read as ``"x"`` before the view runs, and a 304 for ``"x"`` goes out as
``"x-gzip"``, the tag the client holds. Weak ETags already allow equivalent representations and
stay as they are.

Large bodies with a strong ETag (calendars, schedule exports) are asked for again and again
unchanged: their gzip forms are kept under the URL, the ETag (a strong ETag names one exact
representation of that URL, RFC 9110 8.8.1) and the length, so a kept one can never be stale.

Left alone: streamed and file responses, bodies under ``MIN_SIZE``, anything already encoded,
marked ``no-transform``, or ``no-store``. Pages that show a secret (a feed URL) are ``no-store``
here; sent uncompressed, their size can't be used to guess the secret (BREACH). Other pages
are only sent with the session cookie on same-site requests (SameSite=Lax), which BREACH needs.
"""

import gzip
import threading
from collections import OrderedDict

from flask import Flask, Response, request
from werkzeug.datastructures import ETags
from werkzeug.http import parse_accept_header, parse_etags, quote_etag

MIN_SIZE = 500  # below this, the gzip header and the CPU cost more than they save
# A kept body (a large calendar or export with a strong ETag) is compressed once per version and
# sent many times: zlib's default level, most of level 9's gain at a fraction of the time. Any
# other body (a page) is compressed on every request: level 1, nginx's default. On the
# benchmark's day page (79 KB) that took 0.28 ms instead of 0.99 ms, for 9.2 KB instead of 8.0.
LEVEL = 6
FAST = 1
SUFFIX = "-gzip"
HELD = "confnet.gzip_validators"  # environ key: identity tags the client sent in gzip form
KEEP_FROM = 32 * 1024  # bodies this large have their gzip form kept
KEEP = 16  # ... for this many bodies per worker: a few MB at most
COMPRESSIBLE = frozenset(
    {
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)


def accepts_gzip() -> bool:
    """Whether the current request's Accept-Encoding allows gzip (q > 0, ``*`` included)."""
    return request.accept_encodings["gzip"] > 0


def _accepts_gzip(header: str | None) -> bool:
    return parse_accept_header(header)["gzip"] > 0


def is_compressible(mimetype: str | None) -> bool:
    mimetype = mimetype or ""
    return (
        mimetype.startswith("text/")
        or mimetype in COMPRESSIBLE
        or mimetype.endswith(("+json", "+xml"))
    )


def use_gzip(response: Response, compressed: bytes) -> None:
    """Send ``compressed`` (the gzip form of the response's body) instead of the body."""
    response.set_data(compressed)
    response.content_encoding = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag + SUFFIX)


def compress_bytes(data: bytes, level: int = LEVEL) -> bytes:
    """gzip ``data``; the same input always gives the same bytes (no timestamp)."""
    return gzip.compress(data, compresslevel=level, mtime=0)


class RecentBodies:
    """The gzip forms of the last few large bodies with a name (the URL and strong ETag), by
    name and length. A body without one (a page) is compressed fast, every time: pages differ
    from one viewer to the next, and keeping them would push out the calendars."""

    def __init__(self, size: int = KEEP) -> None:
        self.size = size
        self._kept: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def gzip(self, data: bytes, name: tuple | None = None) -> bytes:
        if name is None or len(data) < KEEP_FROM:
            return compress_bytes(data, FAST)
        key = (name, len(data))
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        packed = compress_bytes(data)
        with self._lock:
            self._kept[key] = packed
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return packed


_recent = RecentBodies()


class GzipValidators:
    """WSGI middleware: before Flask reads the request, If-None-Match tags in their gzip form
    are read as the identity tags behind them (when the client still accepts gzip); which ones
    the client held that way is kept in the environ for ``compress``."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        header = environ.get("HTTP_IF_NONE_MATCH", "")
        if SUFFIX in header and _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")):
            tags = parse_etags(header)
            strong = tags.as_set()
            weak = tags.as_set(include_weak=True) - strong
            environ[HELD] = {tag.removesuffix(SUFFIX) for tag in strong if tag.endswith(SUFFIX)}
            identity = {tag.removesuffix(SUFFIX) for tag in strong}
            environ["HTTP_IF_NONE_MATCH"] = ETags(identity, weak, tags.star_tag).to_header()
        return self.wsgi_app(environ, start_response)


def _not_modified(response: Response) -> Response:
    """A 304 for a tag the client holds in its gzip form answers with that form."""
    etag, weak = response.get_etag()
    if etag and not weak and etag in request.environ.get(HELD, ()):
        response.headers["ETag"] = quote_etag(etag + SUFFIX)
        response.vary.add("Accept-Encoding")
    return response


def _should_consider(response: Response) -> bool:
    cache_control = response.cache_control
    return not (
        response.is_streamed
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or cache_control.no_store
        or cache_control.no_transform
        or not is_compressible(response.mimetype)
    )


def compress(response: Response) -> Response:
    """The after-request hook: gzip the body when it is worth it and the client accepts it."""
    status = response.status_code
    if status == 304:
        return _not_modified(response)
    if not (status in (200, 201) or status >= 400) or not _should_consider(response):
        return response
    response.vary.add("Accept-Encoding")
    if not accepts_gzip():
        return response
    data = response.get_data()
    if len(data) >= MIN_SIZE:
        etag, weak = response.get_etag()
        name = (request.url, etag) if etag and not weak else None
        use_gzip(response, _recent.gzip(data, name))
    return response


def register(app: Flask) -> None:
    app.wsgi_app = GzipValidators(app.wsgi_app)
    # First in the list, so it runs last: no other after-request hook sees a gzipped body.
    app.after_request_funcs.setdefault(None, []).insert(0, compress)
