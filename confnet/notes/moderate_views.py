"""Organizers look after shared notes: restore or hide a revision, download every note."""

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.notes import export, forms, services
from confnet.notes.views import bp, load_item
from confnet.web import get_conference_or_404


def _moderated(slug: str, item_id: int, number: int):
    conference, item = load_item(slug, item_id, permissions.can_moderate_notes)
    if services.revision_of(item.item_id, number) is None:
        abort(404)
    if not forms.ModerateForm().validate_on_submit():
        abort(400)
    return conference, item


def _to_history(slug: str, item_id: int):
    return redirect(url_for("notes.history", slug=slug, item_id=item_id))


@bp.post("/c/<slug>/sessions/<int:item_id>/notes/revisions/<int:number>/restore")
@login_required
def restore(slug: str, item_id: int, number: int):
    _, item = _moderated(slug, item_id, number)
    revision = services.restore_revision(item, number, by=current_user, now=utcnow())
    db.session.commit()
    flash(
        f"Revision {number} is the current text again (as revision {revision.number}).", "success"
    )
    return _to_history(slug, item_id)


@bp.post("/c/<slug>/sessions/<int:item_id>/notes/revisions/<int:number>/hide")
@login_required
def hide(slug: str, item_id: int, number: int):
    _, item = _moderated(slug, item_id, number)
    reverted = services.hide_revision(item, number, by=current_user, now=utcnow())
    db.session.commit()
    message = f"Revision {number} is hidden."
    if reverted is not None:
        message += f" The notes went back to the text before it (revision {reverted.number})."
    flash(message, "success")
    return _to_history(slug, item_id)


@bp.get("/c/<slug>/manage/notes.zip")
@login_required
def export_all(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_moderate_notes(current_user, conference):
        abort(403)
    data = export.shared_notes_archive(conference, link=session_link(conference), now=utcnow())
    return zip_response(data, f"{conference.slug}-shared-notes.zip")


def session_link(conference):
    return lambda item: url_for(
        "schedule.show", slug=conference.slug, item_id=item.item_id, _external=True
    )


def zip_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
