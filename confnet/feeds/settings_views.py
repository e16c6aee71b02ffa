"""The calendar page ``/account/calendar``: turn the feed on, subscribe in one tap (Apple,
Google, Outlook, Thunderbird, a QR code for the phone), set reminders, get a new URL."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from confnet.database import utcnow
from confnet.extensions import db
from confnet.feeds import forms, services
from confnet.feeds.urls import qr_svg, subscribe_links, webcal
from confnet.feeds.views import bp, feed_secret
from confnet.models import Conference, Membership


def _joined_conferences() -> list[Conference]:
    return list(
        db.session.scalars(
            select(Conference)
            .join(Membership, Membership.conference_id == Conference.id)
            .where(Membership.user_id == current_user.id)
            .order_by(Conference.starts_on.desc(), Conference.name)
        )
    )


@bp.get("/account/calendar")
@login_required
def settings():
    feed = services.feed_of(current_user)
    token = services.token_of(feed, feed_secret()) if feed else None
    links = qr = None
    if token:
        url = url_for("feeds.personal", token=token, _external=True)
        links = subscribe_links(url, services.PERSONAL.name)
        qr = qr_svg(links.webcal, "QR code of your calendar feed address")
    reminders = forms.ReminderForm(
        minutes=str(feed.reminder_minutes) if feed and feed.reminder_minutes else ""
    )
    page = render_template(
        "feeds/settings.html",
        feed=feed,
        links=links,
        qr=qr,
        reminders=reminders,
        conferences=_joined_conferences(),
        webcal=webcal,
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-store"  # it shows a secret URL
    return response


def _back():
    return redirect(url_for("feeds.settings"))


@bp.post("/account/calendar")
@login_required
def turn_on():
    if forms.TurnOnForm().validate_on_submit():
        services.turn_on_feed(current_user, secret=feed_secret(), now=utcnow())
        db.session.commit()
        flash("Your calendar feed is ready. Subscribe to it below.", "success")
    return _back()


@bp.post("/account/calendar/regenerate")
@login_required
def regenerate():
    feed = services.feed_of(current_user)
    if feed is not None and forms.RegenerateForm().validate_on_submit():
        services.regenerate_token(feed, secret=feed_secret(), now=utcnow())
        db.session.commit()
        flash(
            "Your feed has a new address; the old one has stopped working. Subscribe again "
            "with the new one (and remove the old calendar from your apps).",
            "success",
        )
    return _back()


@bp.post("/account/calendar/reminders")
@login_required
def set_reminders():
    feed = services.feed_of(current_user)
    form = forms.ReminderForm()
    if feed is not None and form.validate_on_submit():
        services.set_reminder(feed, form.chosen())
        db.session.commit()
        minutes = form.chosen()
        flash(
            f"Reminders {minutes} minutes before each session." if minutes else "No reminders.",
            "success",
        )
    elif feed is not None:
        flash("Choose one of the reminder times offered.", "error")
    return _back()


@bp.post("/account/calendar/turn-off")
@login_required
def turn_off():
    feed = services.feed_of(current_user)
    if feed is not None and forms.TurnOffForm().validate_on_submit():
        services.turn_off_feed(feed)
        db.session.commit()
        flash("Your calendar feed is off; its address no longer works.", "success")
    return _back()
