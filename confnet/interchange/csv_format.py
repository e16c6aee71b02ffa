"""The schedule as CSV: one session per line, the same columns for export and import.

Columns (the header names them; order and case do not matter, spaces count as underscores):

- ``guid``: optional. A row with the guid of a session of this conference updates it; any other
  row creates a session (keeping the guid, so later imports of the same file update it).
- ``title`` (required, at most 200 characters) and ``kind`` (required: talk, keynote, panel,
  workshop, poster, break or social).
- ``start`` and ``end``: local time in the conference's timezone, ``YYYY-MM-DD HH:MM``
  (an offset such as ``+01:00`` may follow). ``end`` may be just ``HH:MM`` on the start's day.
  Or: ``date`` (``YYYY-MM-DD``) with ``start`` as ``HH:MM``, and ``duration`` (``HH:MM`` or
  minutes) instead of ``end``.
- ``room``, ``track``: names; missing ones are created. Empty means none.
- ``speakers``: ``;``-separated, each ``Name`` or ``Name <email>`` (the email links a new speaker
  to the account using it). ``tags``: comma-separated. ``abstract``: text.
- ``capacity``: a whole number or empty; ``signup_required``, ``cancelled``: yes/no.
- ``links``: ``;``-separated, each ``Label <https://...>`` or a bare URL.
- ``id`` and ``url`` are written by the export and ignored by the import.

A column left out of the file leaves that field of existing sessions alone. Exports start with a
byte order mark so spreadsheet programs read them as UTF-8, and cells that a spreadsheet would
run as a formula get a leading ``'``, which the import removes again. Semicolon-separated files
(as European spreadsheets save them) are read too.
"""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from confnet.interchange.rows import (
    MAX_NAME,
    MAX_ROWS,
    MAX_TAGS,
    MAX_TITLE,
    ImportFailed,
    ImportRow,
    Person,
    Problem,
    RowChecker,
    check_duplicates,
    check_url,
    file_problem,
)
from confnet.interchange.snapshot import Entry, ExportLinks, Snapshot
from confnet.models import ItemKind

COLUMNS = (
    "guid",
    "id",
    "title",
    "kind",
    "start",
    "end",
    "room",
    "track",
    "speakers",
    "tags",
    "abstract",
    "capacity",
    "signup_required",
    "cancelled",
    "links",
    "url",
)
KNOWN = set(COLUMNS) | {"date", "duration"}
EXAMPLE = (
    "title,kind,start,end,room,track,speakers,tags,capacity,signup_required\n"
    "Echo for beginners,workshop,2027-03-26 10:30,2027-03-26 12:00,Skills Lab 1,Cardiology,"
    '"Tomás Ferreira; Anneke de Groot <anneke@example.org>","echocardiography,imaging",24,yes\n'
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
YES = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "sí"}
NO = {"no", "n", "false", "0", ""}
ADDRESSED = re.compile(r"^(.*?)\s*<([^<>]*)>$")


def defuse_formula(value: str) -> str:
    """A CSV cell a spreadsheet won't run as a formula (=, +, -, @, tab, CR)."""
    return f"'{value}" if value.startswith(FORMULA) else value


def _local(moment: datetime, tz: ZoneInfo) -> str:
    """``2027-03-26 09:30``; with the offset when the clocks go back and the time repeats."""
    local = moment.astimezone(tz)
    text = f"{local:%Y-%m-%d %H:%M}"
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        offset = local.strftime("%z")
        text += f"{offset[:3]}:{offset[3:]}"
    return text


def render(snapshot: Snapshot, links: ExportLinks | None) -> str:
    """The CSV text (with a byte order mark); session URLs only when ``links`` is given."""
    tz = snapshot.conference.tz
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in snapshot.entries:
        writer.writerow([defuse_formula(value) for value in _values(entry, tz, links)])
    return "\ufeff" + out.getvalue()


def _values(entry: Entry, tz: ZoneInfo, links: ExportLinks | None) -> list[str]:
    return [
        str(entry.guid),
        str(entry.id),
        entry.title,
        entry.kind.value,
        _local(entry.starts_at, tz),
        _local(entry.ends_at, tz),
        entry.room or "",
        entry.track or "",
        "; ".join(person.name for person in entry.speakers),
        entry.tags,
        entry.abstract,
        "" if entry.capacity is None else str(entry.capacity),
        "yes" if entry.signup_required else "no",
        "yes" if entry.cancelled else "no",
        "; ".join(f"{label} <{url}>" for label, url in entry.links),
        links.session_url(entry.id) if links else "",
    ]


def parse(text: str, tz: ZoneInfo) -> tuple[list[ImportRow], list[str]]:
    """The rows of a CSV file and the names of columns it ignored; raises ImportFailed."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise file_problem("The file is empty: the first line must name the columns.")
        columns = _columns(header)
        problems: list[Problem] = []
        rows: list[ImportRow] = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                row = _row(record, columns, tz, RowChecker(problems, f"Line {line}", line))
                rows += [row] if row else []
            if len(rows) > MAX_ROWS:
                raise file_problem(f"The file holds more than {MAX_ROWS} sessions: split it up.")
            line = reader.line_num + 1
    except csv.Error as err:
        raise file_problem(f"Line {reader.line_num} is not valid CSV ({err}).") from None
    if not rows and not problems:
        raise file_problem("The file has a header line but no sessions.")
    check_duplicates(rows, problems)
    if problems:
        raise ImportFailed(problems)
    return rows, [name for name in columns if name not in KNOWN]


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = "_".join(name.strip().lower().split())
        if key in columns:
            raise file_problem(f"Line 1 names the column “{key}” twice.")
        if key:
            columns[key] = index
    missing = [name for name in ("title", "kind", "start") if name not in columns]
    if "end" not in columns and "duration" not in columns:
        missing.append("end (or duration)")
    if missing:
        raise file_problem(
            "Line 1 must name the columns; missing: "
            + ", ".join(missing)
            + ". Is this a CSV file with a header line?"
        )
    return columns


def _row(record: list[str], columns: dict[str, int], tz: ZoneInfo, check: RowChecker):
    def get(name: str) -> str:
        index = columns.get(name)
        value = record[index] if index is not None and index < len(record) else ""
        return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA) else value

    if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
        check.fail("It has more values than the header has columns (a stray comma?).")
    title = check.text(get("title"), "The title", max_length=MAX_TITLE, required=True)
    kind = _kind(check.text(get("kind"), "The kind", required=True), check)
    start, end = _times(get, columns, tz, check)
    fields = {name: parse(get(name), check) for name, parse in _FIELDS.items() if name in columns}
    row = ImportRow(
        where=check.where,
        line=check.line,
        guid=check.guid(get("guid")),
        title=title,
        kind=kind or ItemKind.TALK,
        starts_at=start,
        ends_at=end,
        fields=fields,
    )
    row.valid = check.span(start, end) and not check.failed
    return row


def _kind(value: str, check: RowChecker) -> ItemKind | None:
    if not value:
        return None
    try:
        return ItemKind(value.lower())
    except ValueError:
        names = ", ".join(kind.value for kind in ItemKind)
        check.fail(f"The kind “{value}” is unknown; use one of {names}.")
        return None


def _times(get, columns, tz: ZoneInfo, check: RowChecker):
    if "date" in columns and get("date").strip():
        try:
            day = datetime.strptime(get("date").strip(), "%Y-%m-%d").date()  # noqa: DTZ007
        except ValueError:
            check.fail(f"The date “{get('date').strip()}” is not a date like 2027-03-26.")
            return None, None
        start = check.local_time(day, get("start"), tz, "The start")
    elif not get("start").strip():
        check.fail("The start is missing.")
        return None, None
    else:
        start = check.moment(get("start"), tz, "The start")
    end_text = get("end").strip()
    if end_text and start is not None and ":" in end_text and len(end_text) <= 5:
        day = start.astimezone(tz).date()
        return start, check.local_time(day, end_text, tz, "The end")
    if end_text:
        return start, check.moment(end_text, tz, "The end")
    if not get("duration").strip():
        check.fail("The end (or duration) is missing.")
        return start, None
    length = check.duration(get("duration"))
    return start, (start + length if start is not None and length is not None else None)


def _name(value: str, check: RowChecker, label: str) -> str | None:
    return check.text(value, label, max_length=MAX_NAME) or None


def _speakers(value: str, check: RowChecker) -> list[Person]:
    people: dict[str, Person] = {}
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        match = ADDRESSED.match(part)
        name, email = (match.group(1), match.group(2).strip()) if match else (part, "")
        name = check.text(name, "A speaker's name", max_length=MAX_NAME, required=True)
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            check.fail(f"“{email}” is not an email address (write “Name <name@example.org>”).")
        if name:
            people.setdefault(name.casefold(), Person(name, email.lower()))
    return list(people.values())


def _tags(value: str, check: RowChecker) -> str:
    tags = [" ".join(tag.lower().split()) for tag in value.split(",")]
    joined = ",".join(dict.fromkeys(tag for tag in tags if tag))
    return check.text(joined, "The tags", max_length=MAX_TAGS)


def _capacity(value: str, check: RowChecker) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 100_000:
        check.fail(f"The capacity “{value}” is not a number of places like 40.")
        return None
    return int(value)


def _flag(label: str):
    def parse(value: str, check: RowChecker) -> bool:
        lowered = value.strip().lower()
        if lowered not in YES | NO:
            check.fail(f"{label} “{value.strip()}” should be yes or no.")
        return lowered in YES

    return parse


def _links(value: str, check: RowChecker) -> list[tuple[str, str]]:
    links = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        match = ADDRESSED.match(part)
        label, url = (match.group(1), match.group(2)) if match else ("", part)
        label = check.text(label, "A link's label", max_length=MAX_NAME)
        url = check_url(check, url)
        if url:
            links.append((label or "Link", url))
    return links


_FIELDS = {
    "room": lambda value, check: _name(value, check, "The room"),
    "track": lambda value, check: _name(value, check, "The track"),
    "speakers": _speakers,
    "tags": _tags,
    "abstract": lambda value, check: check.text(value, "The abstract"),
    "capacity": _capacity,
    "signup_required": _flag("Sign-up required"),
    "cancelled": _flag("Cancelled"),
    "links": _links,
}
