"""Rooms and tracks pages: list and add, edit, delete (refused while sessions use them)."""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Venue:
    """One kind of thing these pages manage: its model, form, services and names."""

    model: type
    form: type
    create: Callable
    update: Callable
    delete: Callable
    listing: Callable
    noun: str  # "room": endpoints .rooms, .edit_room, .delete_room; URL argument room_id

    @property
    def plural(self) -> str:
        return f"{self.noun}s"


ROOMS = Venue(
    Room, forms.RoomForm, venues.create_room, venues.update_room, venues.delete_room,
    venues.rooms_of, "room",
)  # fmt: skip
TRACKS = Venue(
    Track, forms.TrackForm, venues.create_track, venues.update_track, venues.delete_track,
    venues.tracks_of, "track",
)  # fmt: skip


def _list_and_add(venue: Venue, slug: str):
    conference = load_conference(slug)
    form = venue.form()
    if form.validate_on_submit() and _save(form, venue.create, conference):
        flash(f"{venue.noun.capitalize()} “{form.name.data.strip()}” added.", "success")
        return redirect(url_for(f".{venue.plural}", slug=slug))
    listing = {venue.plural: venue.listing(conference)}
    return render_template(
        f"programme/{venue.plural}.html", conference=conference, form=form, **listing
    )


def _edit(venue: Venue, slug: str, thing_id: int):
    conference = load_conference(slug)
    thing = owned_or_404(venue.model, thing_id, conference)
    form = venue.form(obj=thing)
    if form.validate_on_submit() and _save(form, venue.update, thing):
        flash(f"{venue.noun.capitalize()} saved.", "success")
        return redirect(url_for(f".{venue.plural}", slug=slug))
    delete_url = url_for(f".delete_{venue.noun}", slug=slug, **{f"{venue.noun}_id": thing.id})
    return render_template(
        "programme/edit_venue.html",
        conference=conference,
        form=form,
        thing=thing,
        what=venue.noun,
        delete_url=delete_url,
    )


def _delete(venue: Venue, slug: str, thing_id: int):
    conference = load_conference(slug)
    thing = owned_or_404(venue.model, thing_id, conference)
    try:
        venue.delete(conference, thing)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        edit = url_for(f".edit_{venue.noun}", slug=slug, **{f"{venue.noun}_id": thing_id})
        return redirect(edit)
    db.session.commit()
    flash(f"{venue.noun.capitalize()} deleted.", "success")
    return redirect(url_for(f".{venue.plural}", slug=slug))


@bp.route("/c/<slug>/manage/rooms", methods=["GET", "POST"])
@login_required
def rooms(slug: str):
    return _list_and_add(ROOMS, slug)


@bp.route("/c/<slug>/manage/rooms/<int:room_id>", methods=["GET", "POST"])
@login_required
def edit_room(slug: str, room_id: int):
    return _edit(ROOMS, slug, room_id)


@bp.post("/c/<slug>/manage/rooms/<int:room_id>/delete")
@login_required
def delete_room(slug: str, room_id: int):
    return _delete(ROOMS, slug, room_id)


@bp.route("/c/<slug>/manage/tracks", methods=["GET", "POST"])
@login_required
def tracks(slug: str):
    return _list_and_add(TRACKS, slug)


@bp.route("/c/<slug>/manage/tracks/<int:track_id>", methods=["GET", "POST"])
@login_required
def edit_track(slug: str, track_id: int):
    return _edit(TRACKS, slug, track_id)


@bp.post("/c/<slug>/manage/tracks/<int:track_id>/delete")
@login_required
def delete_track(slug: str, track_id: int):
    return _delete(TRACKS, slug, track_id)
