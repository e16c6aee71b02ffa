"""A database for one benchmark run: created empty, migrated, and removed afterwards.

SQLite (the default) is a file in the run's temporary folder. With a PostgreSQL server URL, a new
database ``confnet_bench_<random>`` is created on that server and dropped at the end; the database
named in the URL is only used to issue CREATE/DROP DATABASE, never written to.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from confnet.config import database_url

_SAFE_NAME = re.compile(r"^confnet_bench_[0-9a-f]{8}$")


def backend_of(server_url: str | None) -> str:
    """``"sqlite"`` or ``"postgresql"`` for the URL given on the command line or in the environment.

    Raises ValueError for anything else (the app supports only these two).
    """
    if not server_url or make_url(database_url(server_url)).get_backend_name() == "sqlite":
        return "sqlite"
    if make_url(database_url(server_url)).get_backend_name() == "postgresql":
        return "postgresql"
    raise ValueError(f"unsupported database URL {server_url!r}: use sqlite or postgresql")


@contextmanager
def fresh_database(server_url: str | None, workdir: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL (password included) of a new, empty database.

    A SQLite URL in ``server_url`` is ignored on purpose: the run never writes to a file it did
    not create. The database is dropped (PostgreSQL) when the block ends, even on error.
    """
    if backend_of(server_url) == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    server = make_url(database_url(server_url))
    name = f"confnet_bench_{secrets.token_hex(4)}"
    assert _SAFE_NAME.match(name)  # it is interpolated into DDL below
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield _render(server.set(database=name))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def describe(uri: str) -> str:
    """The URL without its password, for reports and logs."""
    return make_url(uri).render_as_string(hide_password=True)
