"""``flask --app app backup FILE`` and ``flask --app app restore FILE`` (see ``services``).

``FILE`` ending in ``.json`` or ``.json.gz`` is the portable JSON backup (any database);
``--sqlite`` makes SQLite's online backup instead, a copy of the database file. A restore reads
a JSON backup into an empty database migrated to the same revision.
"""

import gzip
import json
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from confnet.backup.services import (
    BackupError,
    backup_sqlite_file,
    dump_database,
    restore_database,
)
from confnet.database import utcnow
from confnet.extensions import db


def _tables():
    """The tables a backup holds: all but those marked ``info={"derived": True}``, which the
    database's own triggers fill (they are rebuilt while a backup is restored)."""
    return [t for t in db.metadata.sorted_tables if not t.info.get("derived")]


def _open(path: Path, mode: str):
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return path.open(mode, encoding="utf-8")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sqlite", "as_sqlite", is_flag=True, help="SQLite's online backup (a .db copy).")
def backup(file: Path, as_sqlite: bool) -> None:
    """Write a consistent backup of the whole database to FILE."""
    try:
        if as_sqlite:
            url = make_url(str(db.engine.url))
            if url.get_backend_name() != "sqlite" or not url.database:
                raise BackupError("--sqlite needs a SQLite database file; use a .json backup.")
            backup_sqlite_file(url.database, file)
        else:
            data = dump_database(db.engine, _tables(), utcnow())
            with _open(file, "x") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
    except (BackupError, FileExistsError) as err:
        raise click.ClickException(getattr(err, "message", f"{file} exists already.")) from None
    click.echo(f"Backed up to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Read the JSON backup FILE into this (empty, migrated) database."""
    try:
        with _open(file, "r") as source:
            data = json.load(source)
        counts = restore_database(db.engine, _tables(), data)
    except (BackupError, ValueError) as err:
        raise click.ClickException(getattr(err, "message", f"Unreadable backup: {err}")) from None
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {file}")
