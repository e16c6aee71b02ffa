"""Backups: every table as portable JSON (SQLite and PostgreSQL alike), read back into an empty
database; and SQLite's own online backup, a consistent copy of the database file.

A JSON backup is ``{"format": "confnet-backup", "version": 1, "revision": <alembic revision>,
"created_at": ..., "tables": {name: {"columns": [...], "rows": [[...], ...]}}}``. It is read in
one transaction that sees a single snapshot (REPEATABLE READ on PostgreSQL; on SQLite one read
transaction holds its snapshot), so a backup taken while the app runs is consistent. Values
are written by column type (times as ISO 8601 with their offset, enums by value, bytes as
base64) and read back by the same types. Restoring needs a database migrated to the same
revision with no rows in it (tables filled by triggers aside); it inserts every table in
foreign-key order in one transaction and moves PostgreSQL's id sequences past the restored ids.
"""

import base64
import enum
import sqlite3
import uuid
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import Connection, Engine, LargeBinary, Table, TypeDecorator, func, select, text
from sqlalchemy import Enum as SAEnum

from confnet.errors import DomainError

FORMAT, VERSION = "confnet-backup", 1


class BackupError(DomainError):
    pass


def _revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 (no alembic_version table: not a migrated database)
        return None


def _encode(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _decoder(column):
    """A function turning a JSON value back into what ``column``'s type binds."""
    if isinstance(column.type, LargeBinary):
        return base64.b64decode
    kind_of = column.type
    if isinstance(kind_of, TypeDecorator) and not isinstance(kind_of, SAEnum):
        kind_of = kind_of.impl_instance  # (a TypeDecorator may not know its Python type)
    try:
        kind = kind_of.python_type
    except NotImplementedError:
        return lambda value: value
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is time:
        return time.fromisoformat
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is uuid.UUID:
        return uuid.UUID
    return lambda value: value


def dump_database(engine: Engine, tables: list[Table], now: datetime) -> dict:
    """Every row of ``tables`` (in foreign-key order) from one consistent snapshot."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            dumped = {}
            for table in tables:
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(select(table).order_by(*order))
                dumped[table.name] = {
                    "columns": [column.name for column in table.columns],
                    "rows": [[_encode(value) for value in row] for row in rows],
                }
            revision = _revision(conn)
    return {
        "format": FORMAT,
        "version": VERSION,
        "revision": revision,
        "created_at": now.isoformat(),
        "tables": dumped,
    }


def restore_database(engine: Engine, tables: list[Table], backup: dict) -> dict[str, int]:
    """Insert ``backup`` into the empty database behind ``engine``; rows restored per table.
    Nothing is written unless everything is (one transaction)."""
    if backup.get("format") != FORMAT or backup.get("version") != VERSION:
        raise BackupError("This file is not a confnet backup (or is from a newer version).")
    counts = {}
    with engine.begin() as conn:
        revision = _revision(conn)
        if revision != backup.get("revision"):
            raise BackupError(
                f"The backup is of schema revision {backup.get('revision')}, the database is at "
                f"{revision}: run `flask --app app db upgrade` to the same revision first."
            )
        for table in tables:
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise BackupError(f"The database is not empty (table {table.name} has rows).")
        for table in tables:
            counts[table.name] = _insert(conn, table, backup["tables"].get(table.name))
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn, tables)
    return counts


def _insert(conn: Connection, table: Table, dumped: dict | None) -> int:
    if not dumped or not dumped["rows"]:
        return 0
    names = dumped["columns"]
    unknown = set(names) - set(table.columns.keys())
    if unknown:
        raise BackupError(f"Table {table.name} has no column {sorted(unknown)[0]}.")
    decoders = [_decoder(table.columns[name]) for name in names]
    rows = [
        {
            name: None if value is None else decode(value)
            for name, decode, value in zip(names, decoders, row, strict=True)
        }
        for row in dumped["rows"]
    ]
    conn.execute(table.insert(), rows)
    return len(rows)


def _advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """Serial ids continue after the restored ones."""
    for table in tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence:
                highest = select(func.max(column)).scalar_subquery()
                conn.execute(select(func.setval(sequence, func.coalesce(highest, 0) + 1, False)))


def backup_sqlite_file(database_path: str, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file.")
    source = sqlite3.connect(database_path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
