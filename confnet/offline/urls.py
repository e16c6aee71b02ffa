"""The addresses behind the offline plan (view layer: it builds URLs with ``url_for``)."""

from pathlib import Path

from flask import current_app, url_for

from confnet.models import Conference
from confnet.offline.services import OfflineContents
from confnet.web_assets import static_url

# Where the assets the pages use live; sw.js is served from the root scope instead.
ASSET_FOLDERS = ("css", "js", "img")
NOT_CACHED = {"js/sw.js"}


def page_urls(conference: Conference, contents: OfflineContents) -> tuple[list[str], list[str]]:
    """Every page the viewer keeps, and among them the ``personal`` ones: lists that change
    with the viewer's own actions (stars, seats, notes, meetings), refreshed after a change."""
    slug = conference.slug
    personal = [url_for("home.index"), url_for("schedule.index", slug=slug)]
    personal += [url_for("schedule.index", slug=slug, day=d.isoformat()) for d in contents.days]
    pages = [url_for("conferences.show", slug=slug), url_for("schedule.changes", slug=slug)]
    pages += [url_for("schedule.show", slug=slug, item_id=i) for i in contents.sessions]
    if contents.member:
        personal += [
            url_for(endpoint, slug=slug)
            for endpoint in (
                "schedule.agenda",
                "workshops.mine",
                "notes.my_notes",
                "meetings.list_meetings",
                "introductions.list_introductions",
            )
        ]
        for item_id in contents.noted:
            pages.append(url_for("notes.private_note", slug=slug, item_id=item_id))
            pages.append(url_for("notes.show", slug=slug, item_id=item_id))
        pages += [
            url_for("introductions.show_connection", slug=slug, intro_id=intro_id)
            for intro_id in contents.connections
        ]
    return personal + pages, personal


def session_prefix(conference: Conference) -> str:
    """What every session page's path starts with (its id follows): a phone also keeps the
    session pages the viewer opened, when the plan doesn't list every session."""
    return url_for("schedule.show", slug=conference.slug, item_id=1)[: -len("1")]


def changed_pages(conference: Conference, item_ids: set[int | None]) -> list[str]:
    """The pages showing what a sent change touched (a session's star or private note)."""
    slug = conference.slug
    pages = [url_for("schedule.agenda", slug=slug), url_for("notes.my_notes", slug=slug)]
    for item_id in sorted(i for i in item_ids if i is not None):
        pages.append(url_for("schedule.show", slug=slug, item_id=item_id))
        pages.append(url_for("notes.private_note", slug=slug, item_id=item_id))
    return pages


def asset_urls() -> list[str]:
    """The current (content-hashed) URL of every stylesheet, script and image."""
    root = Path(current_app.static_folder)
    urls = []
    for folder in ASSET_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and name not in NOT_CACHED:
                urls.append(static_url(name))
    return urls


def fallback_urls() -> dict[str, str]:
    return {kind: url_for("offline.fallback", kind=kind) for kind in ("page", "action")}
