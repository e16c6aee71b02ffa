"""A connection's page: the other person's profile and contact details, the message thread,
and the meetings the two may book (a partial of the meetings package)."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.extensions import db
from confnet.introductions import forms, messages
from confnet.introductions.views import bp, form_page, submitted, teller_for
from confnet.models import Introduction, User
from confnet.web import get_conference_or_404


def _page(conference, intro: Introduction, other: User, form):
    return form_page(
        "introductions/connection.html",
        form,
        conference=conference,
        introduction=intro,
        other=other,
        contact=messages.contact_of(other),
        thread=messages.thread_of(intro),
    )


@bp.route("/<int:intro_id>", methods=["GET", "POST"])
@login_required
def show_connection(slug: str, intro_id: int):
    """Only the two people of an accepted introduction that no block has closed; for anyone
    else, 404. Connections hold across conferences, so any conference's URL shows it."""
    conference = get_conference_or_404(slug)
    intro = db.session.get(Introduction, intro_id)
    if intro is None or not permissions.can_message(current_user, intro):
        abort(404)
    other = db.session.get(User, intro.other_id(current_user.id))
    form = forms.MessageForm()

    def send():
        body, teller = form.body.data, teller_for(conference)
        messages.post_message(intro, current_user, body, now=utcnow(), teller=teller)

    if submitted(form, send):
        flash(f"Sent to {other.name}.", "success")
        target = "introductions.show_connection"
        return redirect(url_for(target, slug=slug, intro_id=intro.id, _anchor="thread-end"))
    return _page(conference, intro, other, form)
