"""Attendee pages of the published schedule under ``/c/<slug>/``: the programme by day, one
session, stars, "My agenda", a speaker's own sessions and what changed (see the services)."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import Conference, PublishedItem, Role
from confnet.schedule import agendapage, daypage, days, forms, listing, services, sessionpage
from confnet.schedule.changes import release_history
from confnet.timefmt import timezone_choices
from confnet.web import get_conference_or_404, safe_next

bp = Blueprint("schedule", __name__)


@bp.context_processor
def _helpers():
    return {"Role": Role, "StarForm": forms.StarForm}


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/c/<slug>/schedule")
def index(slug: str):
    """The programme by day; see ``daypage`` for how it stays fast at conference scale."""
    conference = get_conference_or_404(slug)
    programme = daypage.read_programme(conference)
    form = forms.FilterForm(request.args)
    form.set_options(programme.tracks, programme.rooms, programme.tags)
    filters, ignored = form.filters()
    tz, unknown_tz = days.display_timezone(conference, request.args.get("tz"))
    now = utcnow()
    viewer = _viewer()
    can_star = permissions.can_star_sessions(current_user, conference)
    page = daypage.day_page(
        programme,
        form,
        filters,
        day=days.choose_day(conference, request.args.get("day"), now),
        tz=tz,
        now=now,
        user_id=viewer.id if viewer else None,
        can_star=can_star,
    )
    return render_template(
        "schedule/index.html",
        conference=conference,
        page=page,
        can_star=can_star,
        ignored=ignored,
        unknown_tz=unknown_tz,
    )


@bp.get("/c/<slug>/schedule/timezone")
def timezone(slug: str):
    """The timezone picker (its own page: the full list of zones is too heavy for every day)."""
    conference = get_conference_or_404(slug)
    tz, _ = days.display_timezone(conference, request.args.get("tz"))
    keep = {
        name: request.args.get(name, "")[: listing.SEARCH_MAX]
        for name in ("day", "track", "kind", "room", "tag", "q")
        if request.args.get(name)
    }
    return render_template(
        "schedule/timezone.html",
        conference=conference,
        keep=keep,
        tz_arg=days.tz_arg(conference, tz),
        zones=timezone_choices(),
    )


@bp.get("/c/<slug>/sessions/<int:item_id>")
def show(slug: str, item_id: int):
    conference = get_conference_or_404(slug)
    found = services.find_session(conference, item_id, _viewer()) or abort(404)
    tz, unknown_tz = days.display_timezone(conference, request.args.get("tz"))
    tz_arg = days.tz_arg(conference, tz)
    return render_template(
        "schedule/show.html",
        conference=conference,
        item=found.item,
        parts=sessionpage.shared_parts(conference, found.item, found.state, tz, tz_arg),
        starred=found.starred,
        count=found.stars,
        tz=tz,
        tz_arg=tz_arg,
        unknown_tz=unknown_tz,
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _starrable(slug: str, item_id: int) -> tuple[Conference, PublishedItem]:
    conference = get_conference_or_404(slug)
    if not permissions.can_star_sessions(current_user, conference):
        abort(403)
    item = services.find_published(conference, item_id) or abort(404)
    if not forms.StarForm().validate_on_submit():
        abort(400)
    return conference, item


def _answer(conference: Conference, item: PublishedItem, message: str):
    """JSON for schedule.js, else back to where the form was (the session page by default)."""
    if _wants_json():
        starred, count = services.star_state(current_user, item)
        return jsonify(starred=starred, count=count)
    flash(message, "success")
    target = safe_next(request.form.get("next"))
    if target is None:
        target = url_for("schedule.show", slug=conference.slug, item_id=item.item_id)
    elif "#" not in target:
        target += f"#s{item.item_id}"
    return redirect(target)


@bp.post("/c/<slug>/sessions/<int:item_id>/star")
@login_required
def star(slug: str, item_id: int):
    conference, item = _starrable(slug, item_id)
    services.star_session(current_user, item)  # StarRefused renders as a 400 with its message
    db.session.commit()
    return _answer(conference, item, f"Added “{item.title}” to your agenda.")


@bp.post("/c/<slug>/sessions/<int:item_id>/unstar")
@login_required
def unstar(slug: str, item_id: int):
    conference, item = _starrable(slug, item_id)
    services.unstar_session(current_user, item)
    db.session.commit()
    return _answer(conference, item, f"Removed “{item.title}” from your agenda.")


@bp.get("/c/<slug>/agenda")
@login_required
def agenda(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_star_sessions(current_user, conference):
        abort(403)
    agenda = services.agenda_of(current_user, conference)
    rows = agendapage.agenda_rows(conference, agenda, conference.tz)
    return render_template(
        "schedule/agenda.html", conference=conference, days=agenda.days, rows=rows
    )


@bp.get("/c/<slug>/my-sessions")
@login_required
def speaker_sessions(slug: str):
    conference = get_conference_or_404(slug)
    by_day = services.sessions_spoken_by(current_user, conference)
    return render_template("schedule/speaker_sessions.html", conference=conference, days=by_day)


@bp.get("/c/<slug>/changes")
def changes(slug: str):
    conference = get_conference_or_404(slug)
    history = release_history(conference)
    return render_template("schedule/changes.html", conference=conference, history=history)
