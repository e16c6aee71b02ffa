"""Rooms and tracks pages: list and add, edit, delete (refused while sessions use them)."""

from flask import flash, redirect, render_template, url_for
from flask_login import login_required

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Room, Track
from confnet.programme import forms, venues
from confnet.programme.views import bp, load_conference, owned_or_404, show_errors


def _save(form, action, *args) -> bool:
    """Run ``action(*args, form.to_input())`` and commit; False (errors shown) when refused."""
    try:
        action(*args, form.to_input())
    except DomainError as err:
        db.session.rollback()
        show_errors(form, err)
        return False
    db.session.commit()
    return True


@bp.route("/c/<slug>/manage/rooms", methods=["GET", "POST"])
@login_required
def rooms(slug: str):
    conference = load_conference(slug)
    form = forms.RoomForm()
    if form.validate_on_submit() and _save(form, venues.create_room, conference):
        flash(f"Room “{form.name.data.strip()}” added.", "success")
        return redirect(url_for(".rooms", slug=slug))
    return render_template(
        "programme/rooms.html", conference=conference, form=form, rooms=venues.rooms_of(conference)
    )


@bp.route("/c/<slug>/manage/rooms/<int:room_id>", methods=["GET", "POST"])
@login_required
def edit_room(slug: str, room_id: int):
    conference = load_conference(slug)
    room = owned_or_404(Room, room_id, conference)
    form = forms.RoomForm(obj=room)
    if form.validate_on_submit() and _save(form, venues.update_room, room):
        flash("Room saved.", "success")
        return redirect(url_for(".rooms", slug=slug))
    return render_template(
        "programme/edit_venue.html",
        conference=conference,
        form=form,
        thing=room,
        what="room",
        delete_url=url_for(".delete_room", slug=slug, room_id=room.id),
    )


@bp.post("/c/<slug>/manage/rooms/<int:room_id>/delete")
@login_required
def delete_room(slug: str, room_id: int):
    conference = load_conference(slug)
    room = owned_or_404(Room, room_id, conference)
    try:
        venues.delete_room(conference, room)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".edit_room", slug=slug, room_id=room_id))
    db.session.commit()
    flash("Room deleted.", "success")
    return redirect(url_for(".rooms", slug=slug))


@bp.route("/c/<slug>/manage/tracks", methods=["GET", "POST"])
@login_required
def tracks(slug: str):
    conference = load_conference(slug)
    form = forms.TrackForm()
    if form.validate_on_submit() and _save(form, venues.create_track, conference):
        flash(f"Track “{form.name.data.strip()}” added.", "success")
        return redirect(url_for(".tracks", slug=slug))
    return render_template(
        "programme/tracks.html",
        conference=conference,
        form=form,
        tracks=venues.tracks_of(conference),
    )


@bp.route("/c/<slug>/manage/tracks/<int:track_id>", methods=["GET", "POST"])
@login_required
def edit_track(slug: str, track_id: int):
    conference = load_conference(slug)
    track = owned_or_404(Track, track_id, conference)
    form = forms.TrackForm(obj=track)
    if form.validate_on_submit() and _save(form, venues.update_track, track):
        flash("Track saved.", "success")
        return redirect(url_for(".tracks", slug=slug))
    return render_template(
        "programme/edit_venue.html",
        conference=conference,
        form=form,
        thing=track,
        what="track",
        delete_url=url_for(".delete_track", slug=slug, track_id=track.id),
    )


@bp.post("/c/<slug>/manage/tracks/<int:track_id>/delete")
@login_required
def delete_track(slug: str, track_id: int):
    conference = load_conference(slug)
    track = owned_or_404(Track, track_id, conference)
    try:
        venues.delete_track(conference, track)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".edit_track", slug=slug, track_id=track_id))
    db.session.commit()
    flash("Track deleted.", "success")
    return redirect(url_for(".tracks", slug=slug))
