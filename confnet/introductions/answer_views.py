"""Accept, decline or withdraw an introduction (POST only, from the introductions page).

Only the two people of an introduction (or, to withdraw, whoever asked) find it; anyone else,
and everyone once a block ended it, gets a 404. Answering twice says so instead of failing.
"""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import answers, forms
from confnet.introductions.views import bp, members_only, teller_for, to_inbox
from confnet.models import Introduction, IntroductionStatus, User


def load_introduction(slug: str, intro_id: int, *, asker: bool = False):
    """The conference and the introduction, if the current user is one of its pair (or, with
    ``asker``, the one who asked); else 404. Refuses a POST without a valid CSRF token."""
    conference = members_only(slug)
    intro = db.session.get(Introduction, intro_id)
    if intro is None or intro.conference_id != conference.id:
        abort(404)
    mine = intro.requested_by_id == current_user.id if asker else intro.involves(current_user.id)
    if not mine or intro.status is IntroductionStatus.ENDED:
        abort(404)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    return conference, intro


@bp.post("/<int:intro_id>/accept")
@login_required
def accept_introduction(slug: str, intro_id: int):
    conference, intro = load_introduction(slug, intro_id)
    other = db.session.get(User, intro.other_id(current_user.id))
    try:
        answers.accept_introduction(
            intro, current_user, now=utcnow(), teller=teller_for(conference)
        )
    except DomainError as err:
        flash(err.message, "error")
        return to_inbox(conference)
    db.session.commit()
    permissions.forget_relations()
    if intro.status is IntroductionStatus.ACCEPTED:
        flash(f"You and {other.name} are connected.", "success")
        return redirect(
            url_for("introductions.show_connection", slug=conference.slug, intro_id=intro.id)
        )
    flash(f"Thank you. You'll be connected once {other.name} says yes too.", "success")
    return to_inbox(conference)


@bp.post("/<int:intro_id>/decline")
@login_required
def decline_introduction(slug: str, intro_id: int):
    conference, intro = load_introduction(slug, intro_id)
    try:
        answers.decline_introduction(
            intro, current_user, now=utcnow(), teller=teller_for(conference)
        )
    except DomainError as err:
        flash(err.message, "error")
        return to_inbox(conference)
    db.session.commit()
    permissions.forget_relations()
    flash("Done. We only said that you are not available right now.", "info")
    return to_inbox(conference)


@bp.post("/<int:intro_id>/withdraw")
@login_required
def withdraw_introduction(slug: str, intro_id: int):
    conference, intro = load_introduction(slug, intro_id, asker=True)
    try:
        answers.withdraw_introduction(intro, current_user, now=utcnow())
    except DomainError as err:
        flash(err.message, "error")
        return to_inbox(conference)
    db.session.commit()
    permissions.forget_relations()
    flash("Your request is withdrawn.", "info")
    return to_inbox(conference)
