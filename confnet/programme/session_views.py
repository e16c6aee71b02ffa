"""Sessions pages: the draft list with filters and statuses, create/edit, cancel/restore/delete."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import ScheduleItem
from confnet.programme import forms, overview, services, venues
from confnet.programme.conflicts import conflicts_by_item, find_conflicts
from confnet.programme.views import bp, load_conference, owned_or_404, show_errors
from confnet.timefmt import to_local


def _filters(form: forms.FilterForm) -> overview.ItemFilter:
    """The valid filters of the GET form; an invalid one is ignored (and marked)."""
    form.validate()

    def value(field):
        return field.data if field.data and not field.errors else None

    day = value(form.day)
    return overview.ItemFilter(
        day=date.fromisoformat(day) if day else None,
        room_id=int(value(form.room)) if value(form.room) else None,
        track_id=int(value(form.track)) if value(form.track) else None,
        text=value(form.q) or "",
    )


@bp.get("/c/<slug>/manage/sessions")
@login_required
def index(slug: str):
    conference = load_conference(slug)
    form = forms.FilterForm(
        request.args,
        days=overview.programme_days(conference),
        rooms=venues.rooms_in_order(conference),
        tracks=venues.tracks_in_order(conference),
    )
    filters = _filters(form)
    items = overview.list_items(conference, filters)
    return render_template(
        "programme/index.html",
        conference=conference,
        form=form,
        filtered=filters != overview.ItemFilter(),
        days=overview.group_by_day(items, conference.tz),
        count=len(items),
        statuses=overview.item_statuses(conference),
        conflicts=conflicts_by_item(find_conflicts(conference)),
    )


def _item_form(conference, item: ScheduleItem | None = None) -> forms.ItemForm:
    initial = None
    if request.method == "GET":
        initial = {"day": conference.starts_on}
        if item is not None:
            initial = {
                **{name: getattr(item, name) for name in ("title", "abstract", "tags")},
                **{"capacity": item.capacity, "signup_required": item.signup_required},
                "kind": item.kind.value,
                "track": str(item.track_id or ""),
                "room": str(item.room_id or ""),
                "day": to_local(item.starts_at, conference.tz).date(),
                "starts": to_local(item.starts_at, conference.tz).time(),
                "ends": to_local(item.ends_at, conference.tz).time(),
                "speakers": services.speaker_text(item),
                "links": services.link_text(item),
            }
    return forms.ItemForm(
        data=initial,
        rooms=venues.rooms_in_order(conference),
        tracks=venues.tracks_in_order(conference),
        days=services.allowed_days(conference),
    )


def _save(conference, form, item=None) -> ScheduleItem | None:
    try:
        saved = services.save_item(conference, form.to_input(), item)
    except DomainError as err:
        db.session.rollback()
        show_errors(form, err)
        return None
    db.session.commit()
    flash("Session saved.", "success")
    for note in saved.notes:
        flash(note, "info")
    return saved.item


def _render_edit(conference, form, item=None):
    mine = conflicts_by_item(find_conflicts(conference)).get(item.id, []) if item else []
    return render_template(
        "programme/edit.html",
        conference=conference,
        form=form,
        item=item,
        conflicts=mine,
        published=services.is_published(item) if item else False,
    )


@bp.route("/c/<slug>/manage/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(slug: str):
    conference = load_conference(slug)
    form = _item_form(conference)
    if form.validate_on_submit() and (item := _save(conference, form)):
        return redirect(url_for(".edit_session", slug=slug, item_id=item.id))
    return _render_edit(conference, form)


@bp.route("/c/<slug>/manage/sessions/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_session(slug: str, item_id: int):
    conference = load_conference(slug)
    item = owned_or_404(ScheduleItem, item_id, conference)
    form = _item_form(conference, item)
    if form.validate_on_submit() and _save(conference, form, item):
        return redirect(url_for(".edit_session", slug=slug, item_id=item_id))
    return _render_edit(conference, form, item)


@bp.post("/c/<slug>/manage/sessions/<int:item_id>/cancel")
@login_required
def cancel_session(slug: str, item_id: int):
    return _set_cancelled(slug, item_id, True)


@bp.post("/c/<slug>/manage/sessions/<int:item_id>/restore")
@login_required
def restore_session(slug: str, item_id: int):
    return _set_cancelled(slug, item_id, False)


def _set_cancelled(slug: str, item_id: int, cancelled: bool):
    conference = load_conference(slug)
    item = owned_or_404(ScheduleItem, item_id, conference)
    services.set_cancelled(item, cancelled)
    db.session.commit()
    if cancelled:
        flash(f"“{item.title}” is cancelled. Attendees will see that after the next release.")
    else:
        flash(f"“{item.title}” is back on. Attendees will see that after the next release.")
    return redirect(url_for(".edit_session", slug=slug, item_id=item_id))


@bp.post("/c/<slug>/manage/sessions/<int:item_id>/delete")
@login_required
def delete_session(slug: str, item_id: int):
    conference = load_conference(slug)
    item = owned_or_404(ScheduleItem, item_id, conference)
    title = item.title
    try:
        services.delete_item(conference, item)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".edit_session", slug=slug, item_id=item_id))
    db.session.commit()
    flash(f"“{title}” deleted.", "success")
    return redirect(url_for(".index", slug=slug))
