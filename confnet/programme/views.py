"""Organizer pages of the programme under ``/c/<slug>/manage``: dashboard, conflicts, releases
and demand here; rooms and tracks in ``venue_views``, sessions in ``session_views``.

Every page needs ``can_edit_programme``: anonymous visitors are sent to log in, other users get
403, and unknown objects (or objects of another conference) 404.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference
from confnet.programme import demand as demand_service
from confnet.programme import forms, overview
from confnet.programme.conflicts import find_conflicts
from confnet.programme.parsing import FieldError, InvalidInput
from confnet.programme.services import MAX_ID
from confnet.releases.services import pending_changes, publish_schedule
from confnet.web import get_conference_or_404

bp = Blueprint("programme", __name__)


def load_conference(slug: str) -> Conference:
    """The conference, if the current user may edit its programme (else 404/403)."""
    conference = get_conference_or_404(slug)
    if not permissions.can_edit_programme(current_user, conference):
        abort(403)
    return conference


def owned_or_404(model, obj_id: int, conference: Conference):
    """``model`` row ``obj_id`` of ``conference``; 404 for unknown ids and other conferences."""
    obj = db.session.get(model, obj_id) if 0 < obj_id <= MAX_ID else None
    if obj is None or obj.conference_id != conference.id:
        abort(404)
    return obj


def show_errors(form, err: DomainError) -> None:
    """Put a service's refusal next to the fields it names (or above the form)."""
    errors = err.errors if isinstance(err, InvalidInput) else {}
    if isinstance(err, FieldError):
        errors = {err.field: err.message}
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]
    if not errors:
        form.form_errors.append(err.message)


@bp.get("/c/<slug>/manage")
@login_required
def dashboard(slug: str):
    conference = load_conference(slug)
    conflicts = find_conflicts(conference)
    return render_template(
        "programme/dashboard.html",
        conference=conference,
        summary=overview.programme_overview(conference, conflicts),
    )


@bp.get("/c/<slug>/manage/conflicts")
@login_required
def conflicts(slug: str):
    conference = load_conference(slug)
    found = find_conflicts(conference)
    return render_template(
        "programme/conflicts.html",
        conference=conference,
        groups=overview.conflict_groups(found),
        count=len(found),
    )


@bp.route("/c/<slug>/manage/releases", methods=["GET", "POST"])
@login_required
def releases(slug: str):
    conference = load_conference(slug)
    form = forms.PublishForm()
    if form.validate_on_submit():
        try:
            release = publish_schedule(
                conference,
                by=current_user._get_current_object(),
                note=form.note.data or "",
                confirm_conflicts=bool(form.confirm_conflicts.data),
            )
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.message)
        else:
            db.session.commit()
            flash(f"Release {release.number} published.", "success")
            return redirect(url_for(".releases", slug=slug))
    found = find_conflicts(conference)
    form.confirm_conflicts.label.text = f"Publish anyway, with {_conflicts(len(found))}"
    return render_template(
        "programme/releases.html",
        conference=conference,
        form=form,
        pending=pending_changes(conference),
        conflict_count=len(found),
        history=overview.release_history(conference),
    )


def _conflicts(count: int) -> str:
    return f"{count} conflict" if count == 1 else f"{count} conflicts"


@bp.get("/c/<slug>/manage/demand")
@login_required
def demand(slug: str):
    conference = load_conference(slug)
    ranking = demand_service.ranked(demand_service.demand_per_item(conference))
    return render_template(
        "programme/demand.html",
        conference=conference,
        ranking=ranking,
        chart=demand_service.bar_chart(ranking),
        warnings=[d for d in ranking if d.excess],
    )


# The other pages register on ``bp`` when imported (after it exists).
from confnet.programme import session_views, venue_views  # noqa: E402, F401
