"""Rendered parts of pages, kept by each worker between requests.

Parts that look the same for everyone until something they show changes (a day of the
programme, the shared half of a session page, the directory's filter form) are rendered once
and kept in one least-recently-used map per app, bounded by the bytes it holds
(``confnet.schedule.fragments.FragmentCache``). Callers build each key from everything the part
shows: version stamps read from the database in the same request, and the request's own
inputs. A changed input makes a new key, so a stale entry is never found again; it only waits
to be evicted.
"""

import hashlib

from flask import Flask, current_app

from confnet.schedule.fragments import FragmentCache

CACHE_BYTES = 32 * 2**20  # per worker; a day of 200 sessions takes about 200 KB
_EXTENSION = "confnet_page_cache"


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = FragmentCache(app.config.get("PAGE_CACHE_BYTES", CACHE_BYTES))


def page_cache() -> FragmentCache:
    """This worker's cache of rendered page parts."""
    return current_app.extensions[_EXTENSION]


def digest(parts) -> str:
    """A short digest of ``parts`` (by their repr), to keep keys small: a key holds on to what
    it is made of for as long as its entry lives."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def row_version(row) -> str:
    """A digest of every column's value of an ORM row (a conference, whose description may be
    long): equal for equal rows."""
    return digest(tuple(getattr(row, column.key) for column in row.__table__.columns))
