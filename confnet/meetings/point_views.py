"""Organizers set up meeting points: list, add, delete (the nav links come from the lead)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.meetings import forms, points
from confnet.meetings.views import bp
from confnet.web import get_conference_or_404


def _organizing(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_manage_conference(current_user, conference):
        abort(403)
    return conference


@bp.route("/points", methods=["GET", "POST"])
@login_required
def edit_meeting_points(slug: str):
    conference = _organizing(slug)
    form = forms.MeetingPointForm()
    status = 200
    if form.validate_on_submit():
        try:
            point = points.add_meeting_point(conference, form.name.data, form.details.data)
        except DomainError as err:
            db.session.rollback()
            form.name.errors.append(err.message)
        else:
            db.session.commit()
            flash(f"Added “{point.name}”.", "success")
            return redirect(url_for("meetings.edit_meeting_points", slug=slug))
    if form.errors:
        status = 400
    listed = points.meeting_points_of(conference)
    html = render_template(
        "meetings/points.html",
        conference=conference,
        form=form,
        points=listed,
        delete_form=forms.DeletePointForm(),
    )
    return html, status


@bp.post("/points/<int:point_id>/delete")
@login_required
def delete_meeting_point(slug: str, point_id: int):
    conference = _organizing(slug)
    point = points.find_meeting_point(conference, point_id) or abort(404)
    if not forms.DeletePointForm().validate_on_submit():
        abort(400)
    name = point.name
    moved = points.delete_meeting_point(point, now=utcnow())
    db.session.commit()
    kept = (
        f" {moved} meeting{'s' if moved != 1 else ''} there keep it as their place."
        if moved
        else ""
    )
    flash(f"Deleted “{name}”.{kept}", "success")
    return redirect(url_for("meetings.edit_meeting_points", slug=slug))
