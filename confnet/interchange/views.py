"""Routes of the interchange area: public schedule exports, the organizers' import page and
their draft export. The rules live in ``confnet.interchange.services``."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.interchange import csv_format, forms, services
from confnet.interchange.rows import ImportFailed
from confnet.interchange.urls import export_links
from confnet.web import get_conference_or_404

bp = Blueprint("interchange", __name__)

PUBLIC_CACHE = "public, max-age=300"


@bp.get("/c/<slug>/schedule.<any(json, xml, csv):fmt>")
def export_schedule(slug: str, fmt: str):
    """The published schedule; 304 when the client's copy (If-None-Match) is current."""
    conference = get_conference_or_404(slug)
    if not permissions.can_view_programme(current_user, conference):
        abort(403)
    etag = services.schedule_etag(conference, fmt)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        export = services.cached_export(conference, fmt, etag, export_links(conference, fmt))
        response = Response(export.body, content_type=export.mimetype)
        if fmt == "csv":
            response.headers["Content-Disposition"] = f'inline; filename="{export.filename}"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/c/<slug>/manage/exports/draft.csv")
@login_required
def export_draft(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_edit_programme(current_user, conference):
        abort(403)
    export = services.export_draft_csv(conference)
    response = Response(export.body, content_type=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/c/<slug>/manage/imports", methods=["GET", "POST"])
@login_required
def import_schedule(slug: str):
    """Upload a file into the draft: a summary on success, every problem otherwise (400)."""
    conference = get_conference_or_404(slug)
    if not permissions.can_edit_programme(current_user, conference):
        abort(403)
    form = forms.ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            summary = services.import_schedule(
                conference, upload.read(), filename=upload.filename or "", fmt=form.format.data
            )
        except ImportFailed as err:
            db.session.rollback()
            problems = err.problems
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.message)
        else:
            db.session.commit()
            flash(summary.message(), "success")
            return redirect(url_for("interchange.import_schedule", slug=slug))
    page = render_template(
        "interchange/import.html",
        conference=conference,
        form=form,
        problems=problems,
        example=csv_format.EXAMPLE,
    )
    return page, 400 if form.is_submitted() else 200
