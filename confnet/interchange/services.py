"""Bulk import and export of a conference's schedule.

Exports (``export_schedule``) read the PUBLISHED schedule only, as frab schedule.json, frab
schedule.xml or CSV, in a fixed number of queries. ``schedule_etag`` answers "has it changed?"
without rendering: it combines the conference, the latest release number, the format and the
programme stamp, which triggers renew with any change to what is live without a release (rooms,
tracks, links, speakers).

Imports (``import_schedule``) write into the DRAFT: they check the whole file first and change
nothing at all when any row is wrong (``ImportFailed`` lists every problem with its line).
Files must be UTF-8 (a byte order mark is fine).
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from confnet.extensions import db
from confnet.interchange import csv_format, frab_json, frab_xml
from confnet.interchange.apply import ImportSummary, apply_rows
from confnet.interchange.rows import file_problem
from confnet.interchange.snapshot import (
    ExportLinks,
    draft_snapshot,
    published_snapshot,
)
from confnet.memo import Memo
from confnet.models import Conference
from confnet.releases.state import programme_state

FORMATS = ("json", "xml", "csv")
MIMETYPES = {
    "json": "application/json",
    "xml": "text/xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# Raise when the output of an exporter changes, so that caches drop their copies.
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# Exports kept per process (a 1,000-session schedule.json is about 700 KB).
EXPORT_CACHE_SIZE = 8


@dataclass(frozen=True)
class Export:
    body: bytes
    mimetype: str
    filename: str


_exports: Memo[Export] = Memo(EXPORT_CACHE_SIZE)


def schedule_etag(conference: Conference, fmt: str) -> str:
    """A strong validator for the published export in ``fmt`` (without the quotes), in one
    query."""
    db.session.flush()  # the connection is used directly (less overhead): no autoflush
    release, *live = db.session.connection().execute(_LIVE, {"cid": conference.id}).one()
    c = conference
    state = (c.slug, c.name, c.timezone, c.starts_on, c.ends_on, live)
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:16]
    return f"c{conference.id}-r{release or 0}-{fmt}-v{EXPORT_VERSION}-{digest}"


# The latest release and the live state (rooms, tracks, speakers, links: the programme stamp,
# renewed by triggers), built once with the conference as a parameter.
_CID = bindparam("cid")
_LIVE = select(*programme_state(_CID))


def cached_export(conference: Conference, fmt: str, etag: str, links: ExportLinks) -> Export:
    """``export_schedule``, kept in this process under ``etag`` (which names every input) and
    the site's address (the URLs in the file)."""
    key = (etag, links.base_url)
    return _exports.get(key, lambda: export_schedule(conference, fmt, links))


def export_schedule(conference: Conference, fmt: str, links: ExportLinks) -> Export:
    """The published schedule in ``fmt`` (json, xml or csv)."""
    snapshot = published_snapshot(conference)
    if fmt == "json":
        body = frab_json.render(snapshot, links).encode()
    elif fmt == "xml":
        body = frab_xml.render(snapshot, links)
    else:
        body = csv_format.render(snapshot, links).encode()
    return Export(body, MIMETYPES[fmt], f"{conference.slug}-schedule.{fmt}")


def export_draft_csv(conference: Conference) -> Export:
    """Every draft item as CSV, in the columns the CSV import reads."""
    body = csv_format.render(draft_snapshot(conference), None).encode()
    return Export(body, MIMETYPES["csv"], f"{conference.slug}-draft.csv")


def detect_format(filename: str, text: str, chosen: str | None = None) -> str:
    """``chosen`` if given, else the file's extension, else a look at its first character."""
    if chosen in FORMATS:
        return chosen
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in FORMATS:
        return extension
    start = text.lstrip()[:1]
    return {"{": "json", "<": "xml"}.get(start, "csv")


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise file_problem(
            f"The file is not UTF-8 text (byte {err.start + 1} is not UTF-8). Save it as "
            "“CSV UTF-8” or UTF-8 text and try again."
        ) from None
    if "\x00" in text:
        raise file_problem("The file contains NUL bytes: it is not a text file.")
    return text


def import_schedule(
    conference: Conference, data: bytes, *, filename: str = "", fmt: str | None = None
) -> ImportSummary:
    """Create or update draft items from a CSV, schedule.json or schedule.xml file.

    Raises ``ImportFailed`` (every problem, each with its line or position) and changes
    nothing when any part of the file is wrong. Flushes; the caller commits.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise file_problem(f"The file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB.")
    text = _decode(data)
    if not text.strip():
        raise file_problem("The file is empty.")
    fmt = detect_format(filename, text, fmt)
    ignored: list[str] = []
    if fmt == "csv":
        rows, ignored = csv_format.parse(text, conference.tz)
    elif fmt == "json":
        rows = frab_json.parse(text, conference.tz)
    else:
        rows = frab_xml.parse(data, conference.tz)
    summary = apply_rows(conference, rows)
    summary.ignored_columns = ignored
    return summary
