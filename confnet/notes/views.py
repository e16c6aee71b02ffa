"""Shared notes of a session (read, edit, history, compare) and the knowledge page.

A save that lost the race to another one answers 409 with the conflict screen (both texts and
what differs), so the person can merge instead of overwriting; nothing is ever lost.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.limits import limited
from confnet.notes import forms, knowledge, services
from confnet.notes.diffing import line_diff
from confnet.notes.rendering import plain_excerpt, render_markdown
from confnet.schedule.services import MAX_ID, find_published
from confnet.web import get_conference_or_404

bp = Blueprint("notes", __name__)


@bp.app_context_processor
def notes_helpers():
    """``notes_panel(conference, item)`` for session pages (see templates/notes/_on_session),
    and the Markdown helpers for note pages."""
    return {
        "notes_panel": lambda conference, item: knowledge.session_panel(
            conference, item, current_user
        ),
        "render_note": render_markdown,
        "note_excerpt": plain_excerpt,
    }


def load_item(slug: str, item_id: int, allowed):
    """The conference and its published item, if ``allowed(user, conference)``: else 403/404."""
    conference = get_conference_or_404(slug)
    if not allowed(current_user, conference):
        abort(403)
    item = find_published(conference, item_id) or abort(404)
    return conference, item


def _page(conference, item, form, *, editing=False, status=200, **extra):
    page = knowledge.note_page(item)
    if not form.is_submitted():
        form.body.data = page.current.body
        form.set_version(page.current.number)
    html = render_template(
        "notes/show.html",
        conference=conference,
        item=item,
        page=page,
        form=form,
        editing=editing or form.is_submitted(),
        **extra,
    )
    return html, status


@bp.get("/c/<slug>/sessions/<int:item_id>/notes")
@login_required
def show(slug: str, item_id: int):
    conference, item = load_item(slug, item_id, permissions.can_read_shared_notes)
    editing = request.args.get("edit") == "1" and not item.cancelled
    return _page(conference, item, forms.SharedNoteForm(formdata=None), editing=editing)


@bp.post("/c/<slug>/sessions/<int:item_id>/notes")
@limited("note-save")
@login_required
def save(slug: str, item_id: int):
    conference, item = load_item(slug, item_id, permissions.can_edit_shared_notes)
    form = forms.SharedNoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.previewing:
            preview = render_markdown(services.normalise_body(form.body.data))
            return _page(conference, item, form, preview=preview)
        saved = services.save_shared_note(
            item, current_user, form.body.data, base=int(form.version.data), now=utcnow()
        )
    except services.NoteTooLong as err:
        form.body.errors.append(err.message)
        return _page(conference, item, form, status=400)
    except services.EditConflict as conflict:
        form.body.data = conflict.submitted
        form.body.label.text = "Your version (not saved yet)"
        form.set_version(conflict.current.number)
        diff = line_diff(conflict.current.body, conflict.submitted)
        return _page(conference, item, form, conflict=conflict, diff=diff, status=409)
    db.session.commit()
    flash("Saved. Thank you for sharing." if saved else "Nothing changed.", "success")
    return redirect(url_for("notes.show", slug=slug, item_id=item_id, _anchor="note"))


@bp.get("/c/<slug>/sessions/<int:item_id>/notes/history")
@login_required
def history(slug: str, item_id: int):
    conference, item = load_item(slug, item_id, permissions.can_read_shared_notes)
    before = request.args.get("before", type=int)
    before = before if before and 0 < before <= MAX_ID else None  # beyond: names nothing
    rows = services.history_of(item.item_id, before=before)
    return render_template(
        "notes/history.html",
        conference=conference,
        item=item,
        rows=rows,
        more=len(rows) == services.HISTORY_PAGE and rows[-1].revision.number > 1,
        compare=forms.CompareForm(),
        moderate=forms.ModerateForm(),
    )


@bp.get("/c/<slug>/sessions/<int:item_id>/notes/diff")
@login_required
def diff(slug: str, item_id: int):
    conference, item = load_item(slug, item_id, permissions.can_read_shared_notes)
    compare = forms.CompareForm(request.args)
    if not compare.validate():
        return render_template(
            "notes/diff.html", conference=conference, item=item, compare=compare
        ), 400
    old, new = (services.revision_of(item.item_id, n) for n in (compare.a.data, compare.b.data))
    if old is None or new is None:
        abort(404)
    hidden = [r.number for r in (old, new) if r.hidden_at is not None]
    return render_template(
        "notes/diff.html",
        conference=conference,
        item=item,
        compare=compare,
        old=old,
        new=new,
        hidden=hidden,
        diff=None if hidden else line_diff(old.body, new.body),
    )


@bp.get("/c/<slug>/knowledge", endpoint="knowledge")
@login_required
def knowledge_page(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_read_shared_notes(current_user, conference):
        abort(403)
    search = forms.KnowledgeSearchForm(request.args)
    search.validate()
    found = knowledge.knowledge_of(conference, current_user, search.q.data or "")
    return render_template(
        "notes/knowledge.html", conference=conference, search=search, found=found
    )


from confnet.notes import moderate_views, private_views  # noqa: E402, F401  (register routes)
