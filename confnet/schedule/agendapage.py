"""The rows of "My agenda": each session's row rendered once per version, shared by everyone.

A session's row (title, time, kind, room, track, speakers, the "Starred" button) looks the same
in every agenda it is in, until the programme changes: only what it clashes with differs per
person, and goes in between the row's two halves. Rows are kept in the worker's page cache
(``confnet.pagecache``), keyed by the programme's state read with the agenda itself (latest
release number, programme stamp: see ``services.find_session``), the conference's row, the
timezone and the URL root.
This module renders templates: it belongs to the views, not to the services.
"""

import sys
from zoneinfo import ZoneInfo

from flask import render_template, request
from markupsafe import Markup

from confnet.models import Conference
from confnet.pagecache import page_cache, row_version
from confnet.schedule.services import Agenda

CLASHES, ROW = "<?clashes?>", "<?row?>"  # escaped text and attributes never hold a "<"


def agenda_rows(conference: Conference, agenda: Agenda, tz: ZoneInfo) -> dict[int, tuple]:
    """Item id -> the HTML of its row before and after the viewer's clashes, for every
    session of ``agenda`` (rows not cached yet are rendered together, in one template)."""
    key = ("agenda-row", request.script_root, row_version(conference), agenda.state, tz.key)
    items = [entry.item for _, entries in agenda.days for entry in entries if entry.item]
    rows, missing = {}, []
    for item in items:
        found = page_cache().get((*key, item.item_id))
        if found is None:
            missing.append(item)
        else:
            rows[item.item_id] = found
    if missing:
        html = render_template(
            "schedule/_agenda_rows.html", conference=conference, items=missing, tz=tz
        )
        for item, row in zip(missing, html.split(ROW), strict=False):
            before, after = row.split(CLASHES)
            rows[item.item_id] = (Markup(before), Markup(after))  # noqa: S704 (rendered)
            page_cache().put((*key, item.item_id), rows[item.item_id], sys.getsizeof(row))
    return rows
