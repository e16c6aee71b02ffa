"""Private notes: per session and per conference, readable by their author only.

Every query here is filtered on ``current_user``: no URL names another person's note, and no
role (organizer, site admin) changes that.
"""

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.limits import limited
from confnet.notes import export, forms, private, services
from confnet.notes.diffing import line_diff
from confnet.notes.moderate_views import session_link, zip_response
from confnet.notes.rendering import render_markdown
from confnet.notes.views import bp, load_item
from confnet.web import get_conference_or_404


def _edit(conference, item, template: str, **context):
    """Show and save ``current_user``'s note on ``item`` (None: the conference's free note)."""
    note = private.private_note(current_user, conference, item.item_id if item else None)
    form = forms.PrivateNoteForm(formdata=request.form if request.method == "POST" else None)
    if item is None:
        form.body.label.text = "My notes on the whole conference"
    if request.method == "GET":
        form.body.data = note.body if note else ""
        form.set_version(note.version if note else 0)
    elif not form.validate_on_submit():
        abort(400)
    extra, status = {}, 200
    try:
        if form.previewing:
            extra["preview"] = render_markdown(services.normalise_body(form.body.data))
        elif request.method == "POST":
            version = int(form.version.data)
            saved = private.save_private_note(
                current_user, conference, item, form.body.data, version=version, now=utcnow()
            )
            db.session.commit()
            flash("Saved. Only you can see this note." if saved else "Nothing changed.", "success")
            return redirect(request.path)
    except services.NoteTooLong as err:
        form.body.errors.append(err.message)
        status = 400
    except private.PrivateConflict as conflict:
        form.body.label.text = "Your version (not saved yet)"
        form.set_version(conflict.note.version)
        diff = line_diff(conflict.note.body, conflict.submitted)
        extra.update(conflict=conflict, theirs=conflict.note.body, diff=diff)
        status = 409
    html = render_template(
        template, conference=conference, item=item, form=form, note=note, **extra, **context
    )
    return html, status


@bp.route("/c/<slug>/sessions/<int:item_id>/my-note", methods=["GET", "POST"])
@limited("note-save")
@login_required
def private_note(slug: str, item_id: int):
    conference, item = load_item(slug, item_id, permissions.can_keep_private_notes)
    return _edit(conference, item, "notes/private.html")


@bp.route("/c/<slug>/my-notes", methods=["GET", "POST"])
@login_required
def my_notes(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_keep_private_notes(current_user, conference):
        abort(403)
    notes = [n for n in private.private_notes_of(current_user, conference) if n.item]
    return _edit(conference, None, "notes/mine.html", notes=notes)


@bp.get("/c/<slug>/my-notes.zip")
@login_required
def export_mine(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_keep_private_notes(current_user, conference):
        abort(403)
    data = export.my_notes_archive(
        current_user, conference, link=session_link(conference), now=utcnow()
    )
    return zip_response(data, f"{conference.slug}-my-notes.zip")
