"""Accept, decline or withdraw an introduction (POST only, from the introductions page).

Only the two people of an introduction (or, to withdraw, whoever asked) find it; anyone else,
and everyone once a block ended it, gets a 404. Answering twice says so instead of failing.
"""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import answers, forms
from confnet.introductions.views import bp, teller_for, to_inbox
from confnet.models import Introduction, IntroductionStatus, User
from confnet.people.views import members_only


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
    if not forms.AnswerForm().validate_on_submit():
        abort(400)
    return conference, intro


def back_to(conference, intro: Introduction | None):
    """Where an answer returns: the other person's page when the form came from there
    (``?back=person``), else the introductions page."""
    if (
        intro is not None
        and intro.involves(current_user.id)
        and request.args.get("back") == "person"
    ):
        other_id = intro.other_id(current_user.id)
        return redirect(url_for("people.show_person", slug=conference.slug, user_id=other_id))
    return to_inbox(conference)


def _answer(slug: str, intro_id: int, act, *, asker: bool = False):
    """Run ``act(intro, conference)`` and commit; the conference and the introduction, or None
    for the introduction when the service refused (its reason is flashed)."""
    conference, intro = load_introduction(slug, intro_id, asker=asker)
    try:
        act(intro, conference)
    except DomainError as err:
        flash(err.message, "error")
        return conference, None
    db.session.commit()
    permissions.forget_relations()
    return conference, intro


@bp.post("/<int:intro_id>/accept")
@login_required
def accept_introduction(slug: str, intro_id: int):
    def accept(intro, conference):
        answers.accept_introduction(
            intro, current_user, now=utcnow(), teller=teller_for(conference)
        )

    conference, intro = _answer(slug, intro_id, accept)
    if intro is None:
        return back_to(conference, db.session.get(Introduction, intro_id))
    other = db.session.get(User, intro.other_id(current_user.id))
    if intro.status is IntroductionStatus.ACCEPTED:
        flash(f"You and {other.name} are connected.", "success")
        if request.args.get("back") == "person":
            return back_to(conference, intro)
        target = "introductions.show_connection"
        return redirect(url_for(target, slug=conference.slug, intro_id=intro.id))
    flash(f"Thank you. You'll be connected once {other.name} says yes too.", "success")
    return back_to(conference, intro)


@bp.post("/<int:intro_id>/decline")
@login_required
def decline_introduction(slug: str, intro_id: int):
    def decline(intro, conference):
        answers.decline_introduction(
            intro, current_user, now=utcnow(), teller=teller_for(conference)
        )

    conference, intro = _answer(slug, intro_id, decline)
    if intro is not None:
        flash("Done. We only said that you are not available right now.", "info")
    return back_to(conference, intro or db.session.get(Introduction, intro_id))


@bp.post("/<int:intro_id>/withdraw")
@login_required
def withdraw_introduction(slug: str, intro_id: int):
    def withdraw(intro, _conference):
        answers.withdraw_introduction(intro, current_user, now=utcnow())

    conference, intro = _answer(slug, intro_id, withdraw, asker=True)
    if intro is not None:
        flash("Your request is withdrawn.", "info")
    return back_to(conference, intro or db.session.get(Introduction, intro_id))
