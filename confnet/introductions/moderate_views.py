"""Organizers read reports and hide or restore reported profiles in their conference."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import forms, reports
from confnet.introductions.views import bp
from confnet.models import Report
from confnet.web import get_conference_or_404


def moderators_only(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_moderate_people(current_user, conference):
        abort(403)
    return conference


def load_report(slug: str, report_id: int):
    """The conference and one of its reports (else 404); refuses a POST without CSRF."""
    conference = moderators_only(slug)
    report = db.session.get(Report, report_id)
    if report is None or report.conference_id != conference.id:
        abort(404)
    if not forms.ReportActionForm().validate_on_submit():
        abort(400)
    return conference, report


def to_reports(conference):
    return redirect(url_for("introductions.list_reports", slug=conference.slug))


@bp.get("/reports")
@login_required
def list_reports(slug: str):
    conference = moderators_only(slug)
    return render_template(
        "introductions/reports.html",
        conference=conference,
        reports=reports.open_reports(conference, current_user),
        hidden=reports.hidden_profiles(conference),
    )


def _act(slug: str, report_id: int, action, done: str):
    """Run ``action(report)``, commit, and say ``done`` (formatted with the subject's name)."""
    conference, report = load_report(slug, report_id)
    try:
        action(report)
    except DomainError as err:
        flash(err.message, "error")
        return to_reports(conference)
    db.session.commit()
    permissions.forget_memberships()
    flash(done.format(name=report.subject.name), "success")
    return to_reports(conference)


@bp.post("/reports/<int:report_id>/hide")
@login_required
def hide_profile(slug: str, report_id: int):
    return _act(
        slug,
        report_id,
        lambda report: reports.hide_profile(report, by=current_user, now=utcnow()),
        "{name}'s profile is hidden in this conference.",
    )


@bp.post("/reports/<int:report_id>/dismiss")
@login_required
def dismiss_report(slug: str, report_id: int):
    return _act(
        slug,
        report_id,
        lambda report: reports.dismiss_report(report, by=current_user, now=utcnow()),
        "The report about {name} is dismissed.",
    )


@bp.post("/reports/<int:report_id>/restore")
@login_required
def restore_profile(slug: str, report_id: int):
    return _act(
        slug,
        report_id,
        lambda report: reports.restore_profile(report, by=current_user),
        "{name}'s profile shows again in this conference.",
    )
