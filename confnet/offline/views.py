"""The installable, offline-first app: manifests, the service worker at the root scope, the
plan of pages a phone keeps of a conference, the changes it queued offline, and the fallback
pages shown when a page was never saved or an action needs the network.

Every HTML response names its viewer (``X-Confnet-Viewer``, an opaque key): the service worker
keeps pages per viewer and drops the previous viewer's the moment another one (or nobody)
shows up, so a shared phone never shows one person's agenda or notes to the next.
"""

import json
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    get_flashed_messages,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.limits import limited
from confnet.models import Conference
from confnet.offline import changes, manifest, payload, services, urls
from confnet.web import get_conference_or_404, takes_json

bp = Blueprint("offline", __name__)

MANIFEST = "application/manifest+json"
# Defaults, each overridden by the config key of the same name: how often a phone asks whether
# a conference it keeps has a new version, at most (seconds); over how long phones spread
# refetching a new version's pages (seconds); up to how many sessions a phone keeps every
# session's page (beyond, only the viewer's own and those they opened).
DEFAULTS = {
    "OFFLINE_CHECK_SECONDS": 60,
    "OFFLINE_SPREAD_SECONDS": 60,
    "OFFLINE_ALL_SESSIONS_MAX": 150,
}


def _viewer():
    return current_user if current_user.is_authenticated else None


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@bp.app_context_processor
def offline_helpers():
    """``offline_viewer()``, ``offline_manifest_url(conference)`` and ``page_flashes()`` for
    the layout."""

    def manifest_url(conference: Conference | None) -> str:
        if conference is not None and getattr(conference, "slug", None):
            return url_for("offline.manifest_of_conference", slug=conference.slug)
        return url_for("offline.manifest_of_site")

    return {
        "offline_viewer": lambda: services.viewer_key(_viewer(), _secret()),
        "offline_manifest_url": manifest_url,
        "page_flashes": page_flashes,
    }


# The service worker marks the pages it fetches in the background to keep offline.
COPY_HEADER = "X-Confnet-Offline-Copy"


def page_flashes() -> list[tuple[str, str]]:
    """The messages to show on this page, taken from the session; none for a page the service
    worker fetches to keep: it runs beside the person's own navigation, and taking "Session
    saved." there would lose it from the page they are about to see. (A page the person saw
    goes into the offline copy without its messages: static/js/sw.js, ``keepable``.)"""
    if request.headers.get(COPY_HEADER):
        return []
    return get_flashed_messages(with_categories=True)


@bp.after_app_request
def name_the_viewer(response):
    # Pages only (the layout has loaded the user already); an error page goes without.
    if response.mimetype == "text/html" and response.status_code < 300:
        response.headers["X-Confnet-Viewer"] = services.viewer_key(_viewer(), _secret())
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope is the whole site; browsers
    check it for a new version on every visit (no-cache, answered 304 when unchanged)."""
    path = Path(current_app.static_folder, "js", "sw.js")
    response = send_file(path, mimetype="text/javascript", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _manifest_response(data: dict):
    response = current_app.response_class(json.dumps(data, indent=1), mimetype=MANIFEST)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest_of_site():
    return _manifest_response(manifest.site_manifest())


@bp.get("/c/<slug>/manifest.webmanifest")
def manifest_of_conference(slug: str):
    return _manifest_response(manifest.conference_manifest(get_conference_or_404(slug)))


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<slug>/offline.json")
def plan(slug: str):
    """What the phone keeps of this conference for the viewer (see ``static/js/sw.js``)."""
    conference = get_conference_or_404(slug)
    viewer = _viewer()
    found = services.offline_plan(
        conference,
        viewer,
        site=request.host_url,
        secret=_secret(),
        now=utcnow(),
        all_sessions_max=_setting("OFFLINE_ALL_SESSIONS_MAX"),
    )
    pages, personal = urls.page_urls(conference, found.contents)
    member = found.contents.member
    return _no_store(
        jsonify(
            version=found.check.version,
            viewer=found.check.viewer,
            cache=found.check.cache_name,
            check=url_for("offline.check", slug=slug),
            pages=pages,
            personal=personal,
            sessions=urls.session_prefix(conference),
            assets=urls.asset_urls(),
            fallbacks=urls.fallback_urls(),
            check_every=_setting("OFFLINE_CHECK_SECONDS"),
            spread=_setting("OFFLINE_SPREAD_SECONDS"),
            changes=url_for("offline.send_changes", slug=slug) if member else None,
            csrf=generate_csrf() if viewer is not None else None,
        )
    )


@bp.get("/c/<slug>/offline/check")
def check(slug: str):
    """The copy the phone should hold now (its name): asked about once a minute, so cheap."""
    conference = get_conference_or_404(slug)
    found = services.offline_check(
        conference, _viewer(), site=request.host_url, secret=_secret(), now=utcnow()
    )
    return _no_store(jsonify(cache=found.cache_name, version=found.version))


@bp.post("/c/<slug>/offline/changes")
@limited("note-save")
@takes_json
def send_changes(slug: str):
    """Apply the stars and private notes a phone queued offline (JSON in, JSON out: one result
    per change, and the pages to fetch again because they show what changed)."""
    conference = get_conference_or_404(slug)
    user = _viewer()
    if not (
        permissions.can_star_sessions(user, conference)
        and permissions.can_keep_private_notes(user, conference)
    ):
        abort(403)
    try:
        queued = payload.parse_changes(request.get_json(silent=True))
    except payload.PayloadError:
        abort(400)
    outcomes = changes.apply_changes(user, conference, queued, utcnow())
    db.session.commit()
    touched = {o.item_id for o in outcomes if o.status == "done"}
    return _no_store(
        jsonify(
            results=[
                {"key": o.key, "status": o.status, "message": o.message, "item": o.item_id}
                for o in outcomes
            ],
            refresh=urls.changed_pages(conference, touched) if touched else [],
        )
    )


@bp.get("/offline/<any(page, action):kind>")
def fallback(kind: str):
    """What the service worker shows offline for a page never saved (``page``) or a form that
    needs the server (``action``). It names nobody, so one copy serves every viewer."""
    response = current_app.make_response(render_template("offline/fallback.html", kind=kind))
    response.headers["Cache-Control"] = "no-cache"
    return response
