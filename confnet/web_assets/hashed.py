"""Static files under content-hashed names, kept by browsers for a year.

``static_url('css/app.css')`` (a template global) gives ``/static/css/app.1a2b3c4d.css``: the
first 8 hex digits of the file's SHA-256. That name is answered with ``Cache-Control: public,
max-age=31536000, immutable``, so a repeat visit asks for nothing but the page, and a new
deploy changes the names. The plain name (``url_for('static', ...)``, or ``/static/css/app.css``)
keeps working with Flask's short ``SEND_FILE_MAX_AGE_DEFAULT``: for URLs that must stay stable.
A hashed name that isn't the current content's (a page rendered before a deploy) gets the
current file with that short lifetime, so nothing wrong is kept for a year.

Files are read, hashed and gzipped once each (level 9: it costs nothing per request) and kept
in memory, keyed by their size and modification time (looked at once a second at most), so
an edited file is picked up within a second.
The static folder holds a few small files; anything else (the service worker at ``/sw.js``,
uploads) is not served here.
"""

import hashlib
import mimetypes
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

from confnet.templating import URLS
from confnet.web_assets.compression import accepts_gzip, compress_bytes, is_compressible, use_gzip

DIGITS = 8
RECHECK_SECONDS = 1.0
IMMUTABLE = "public, max-age=31536000, immutable"
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGITS}}})(?P<suffix>\.[^./]+)$")


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes, their SHA-256 and, when it helps, their gzip."""

    body: bytes
    sha256: str
    mimetype: str
    gzipped: bytes | None

    @property
    def digest(self) -> str:
        return self.sha256[:DIGITS]


def _load(path: str) -> Asset:
    with open(path, "rb") as fh:
        body = fh.read()
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    gzipped = compress_bytes(body, level=9) if is_compressible(mimetype) else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    return Asset(body, hashlib.sha256(body).hexdigest(), mimetype, gzipped)


class AssetStore:
    """The files of one static folder, by their path relative to it ("css/app.css")."""

    def __init__(self, folder: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = folder
        self.clock = clock
        # name -> ((mtime, size), the asset, when to look at the file again). Workers' threads
        # may load a file twice at once; both results are equal.
        self._loaded: dict[str, tuple[tuple[int, int], Asset, float]] = {}

    def get(self, name: str) -> Asset | None:
        """The file called ``name``, or None when there is no such regular file. A file is
        looked at (its size and time) at most once every ``RECHECK_SECONDS``: a page names a
        few files, and an edit shows within a second."""
        now = self.clock()
        seen = self._loaded.get(name)
        if seen and now < seen[2]:
            return seen[1]
        path = safe_join(self.folder, name)
        try:
            info = os.stat(path) if path else None
        except OSError:
            return None
        if info is None or not stat.S_ISREG(info.st_mode):
            return None
        key = (info.st_mtime_ns, info.st_size)
        asset = seen[1] if seen and seen[0] == key else _load(path)
        self._loaded[name] = (key, asset, now + RECHECK_SECONDS)
        return asset

    def hashed_name(self, name: str) -> str:
        """``css/app.css`` -> ``css/app.<digest>.css``; unchanged when missing or extensionless."""
        stem, suffix = posixpath.splitext(name)
        asset = self.get(name) if suffix else None
        return f"{stem}.{asset.digest}{suffix}" if asset else name

    def resolve(self, requested: str) -> tuple[Asset, bool] | None:
        """The file a request names, and whether the name is its current hashed name."""
        asset = self.get(requested)
        if asset is not None:
            return asset, False
        match = _HASHED.match(requested)
        if match is None:
            return None
        asset = self.get(match["stem"] + match["suffix"])
        return (asset, asset.digest == match["digest"]) if asset else None


def _store() -> AssetStore:
    return current_app.extensions["confnet_assets"]


def static_url(filename: str, **values) -> str:
    """The URL of a static file under its content-hashed name (a year in the browser's cache).

    Not for files whose URL must never change (a service worker's script)."""
    return current_app.extensions[URLS]("static", filename=_store().hashed_name(filename), **values)


def serve_static(filename: str) -> Response:
    """The static endpoint: hashed names for a year, plain ones briefly; gzip when accepted."""
    found = _store().resolve(filename)
    if found is None:
        abort(404)
    asset, current = found
    response = Response(asset.body, mimetype=asset.mimetype)
    response.set_etag(asset.sha256[:16])
    if current:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.cache_control.public = True
        response.cache_control.max_age = current_app.get_send_file_max_age(filename)
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    response.make_conditional(request)
    if response.status_code == 200 and asset.gzipped is not None and accepts_gzip():
        use_gzip(response, asset.gzipped)
    return response


def register(app: Flask) -> None:
    app.extensions["confnet_assets"] = AssetStore(app.static_folder)
    app.view_functions["static"] = serve_static
    app.jinja_env.globals["static_url"] = static_url
