"""Attendees take and give up workshop seats; everyone reads their notifications."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.mail import get_mailer
from confnet.models import Notification, PublishedItem, ScheduleItem
from confnet.web import get_conference_or_404, safe_next
from confnet.workshops import forms, organizer, services
from confnet.workshops.notify import Notifier

bp = Blueprint("workshops", __name__)


@bp.app_context_processor
def workshop_helpers():
    """``workshop_panel(published_item)`` for session pages (a few queries, workshops only)."""
    return {"workshop_panel": lambda item: services.signup_panel(item, current_user, utcnow())}


def notifier_for(conference) -> Notifier:
    """Links in notifications point at the session page."""
    return Notifier(
        mailer=get_mailer(),
        link=lambda item: url_for("schedule.show", slug=conference.slug, item_id=item.id),
        base_url=request.host_url.rstrip("/"),
    )


def load_workshop(slug: str, item_id: int):
    conference = get_conference_or_404(slug)
    item = db.session.get(ScheduleItem, item_id)
    if item is None or item.conference_id != conference.id:
        abort(404)
    if db.session.get(PublishedItem, item.id) is None and not permissions.can_edit_programme(
        current_user, conference
    ):
        abort(404)
    return conference, item


def _back(conference, item):
    return redirect(
        safe_next(request.form.get("next"))
        or url_for("schedule.show", slug=conference.slug, item_id=item.id)
    )


@bp.post("/c/<slug>/sessions/<int:item_id>/seats")
@login_required
def sign_up(slug: str, item_id: int):
    conference, item = load_workshop(slug, item_id)
    if not permissions.can_star_sessions(current_user, conference):
        abort(403)
    if forms.SignUpForm().validate_on_submit():
        try:
            outcome = services.sign_up(current_user, item, now=utcnow(), tz=conference.tz)
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(_outcome_message(outcome, item), "success")
    return _back(conference, item)


def _outcome_message(outcome: services.Outcome, item) -> str:
    if outcome.position is not None:
        return f"The workshop is full: you are number {outcome.position} on the waitlist."
    if outcome.seat.status.value == "entered":
        return "You are in the draw. Seats are drawn when sign-up closes."
    return f"You have a seat in “{item.title}”."


@bp.post("/c/<slug>/sessions/<int:item_id>/seats/cancel")
@login_required
def cancel(slug: str, item_id: int):
    conference, item = load_workshop(slug, item_id)
    if forms.CancelSeatForm().validate_on_submit():
        try:
            services.cancel_seat(
                current_user, item, now=utcnow(), notifier=notifier_for(conference)
            )
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash("Your place is given up.", "info")
    return _back(conference, item)


@bp.get("/c/<slug>/my-workshops")
@login_required
def mine(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.is_member(current_user, conference):
        abort(403)
    seats = [
        s for s in organizer.seats_of_user(current_user) if s.item.conference_id == conference.id
    ]
    return render_template(
        "workshops/mine.html",
        conference=conference,
        now=utcnow(),
        seats=[(seat, services.waitlist_position(seat)) for seat in seats],
    )


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    query = select(Notification).filter_by(user_id=current_user.id)
    items = db.session.scalars(query.order_by(Notification.id.desc()).limit(50)).all()
    if request.method == "POST" and forms.SeatActionForm().validate_on_submit():
        now = utcnow()
        for note in items:
            note.read_at = note.read_at or now
        db.session.commit()
        return redirect(url_for("workshops.notifications"))
    return render_template("workshops/notifications.html", notifications=items)


from confnet.workshops import manage_views  # noqa: E402, F401  (registers the organizer routes)
