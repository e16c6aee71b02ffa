"""Reading many rows as one string in SQL, to tell in one query whether any of them changed.

Version stamps (feeds, exports) digest everything a response shows. Fetching those rows into
Python costs more than the database takes to find them, so the database joins them: each row
becomes one string of self-delimiting fields (``text``) and a part's rows one string
(``aggregate``), in a fixed order. Equal strings mean equal rows. The separators are written
into the SQL (``const``), so a stamp query has only the parameters that pick the rows.
"""

from sqlalchemy import ColumnElement, Select, String, cast, func, literal_column, select

FIELD, ROW = "\x1f", "\x1e"


def const(value: str) -> ColumnElement[str]:
    """A string constant written into the SQL instead of bound (one parameter less each)."""
    return literal_column("'" + value.replace("'", "''") + "'", String)


def field(column) -> ColumnElement[str]:
    """``<length>:<value>``, or "~" for NULL: self-delimiting, so that no value, whatever it
    holds, can make two different states read the same."""
    value = cast(column, String)
    return func.coalesce(cast(func.length(value), String) + const(":") + value, const("~"))


def text(*columns) -> ColumnElement[str]:
    """The columns as one string."""
    joined = field(columns[0])
    for column in columns[1:]:
        joined = joined + const(FIELD) + field(column)
    return joined


def aggregate(query: Select) -> ColumnElement[str]:
    """The rows of a one-column, ordered ``query`` joined into one string (a scalar subquery:
    aggregating an ordered subquery keeps its order on SQLite and PostgreSQL)."""
    rows = query.subquery()
    return select(func.aggregate_strings(rows.c[0], const(ROW))).scalar_subquery()
