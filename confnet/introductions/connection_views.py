"""A connection's page: the other person's profile and contact details, the message thread,
and the meetings the two may book (a partial of the meetings package)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import forms, messages
from confnet.introductions.views import bp, teller_for
from confnet.models import Introduction, User
from confnet.web import get_conference_or_404


def _page(conference, intro: Introduction, other: User, form):
    html = render_template(
        "introductions/connection.html",
        conference=conference,
        introduction=intro,
        other=other,
        contact=messages.contact_of(other),
        thread=messages.thread_of(intro),
        form=form,
    )
    return html, 400 if form.errors else 200


@bp.route("/<int:intro_id>", methods=["GET", "POST"])
@login_required
def show_connection(slug: str, intro_id: int):
    """Only the two people of an accepted introduction that no block has closed; for anyone
    else, 404. Connections hold across conferences, so any conference's URL shows it."""
    conference = get_conference_or_404(slug)
    intro = db.session.get(Introduction, intro_id)
    # The user itself, not the proxy: can_message looks the other person up by type(user).
    if intro is None or not permissions.can_message(current_user._get_current_object(), intro):
        abort(404)
    other = db.session.get(User, intro.other_id(current_user.id))
    form = forms.MessageForm()
    if form.validate_on_submit():
        try:
            messages.post_message(
                intro, current_user, form.body.data, now=utcnow(), teller=teller_for(conference)
            )
        except DomainError as err:
            form.form_errors.append(err.message)
        else:
            db.session.commit()
            flash(f"Sent to {other.name}.", "success")
            target = "introductions.show_connection"
            return redirect(url_for(target, slug=slug, intro_id=intro.id, _anchor="thread-end"))
    return _page(conference, intro, other, form)
