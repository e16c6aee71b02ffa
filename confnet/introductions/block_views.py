"""Blocking, unblocking and reporting a person.

The person must be someone the current user can see here, was introduced to, or already blocks;
anyone else is a 404, so these pages cannot be used to find out who exists.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from confnet import permissions
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.introductions import access, forms, moderation
from confnet.introductions.views import bp, form_page, submitted, teller_for, to_inbox
from confnet.models import User
from confnet.web import get_conference_or_404


def load_target(slug: str, user_id: int, allowed):
    conference = get_conference_or_404(slug)
    person = db.session.get(User, user_id)
    if person is None or not allowed(current_user, person, conference):
        abort(404)
    return conference, person


def to_blocked(conference):
    return redirect(url_for("introductions.list_blocked", slug=conference.slug))


@bp.route("/block/<int:user_id>", methods=["GET", "POST"])
@login_required
def block_person(slug: str, user_id: int):
    conference, person = load_target(slug, user_id, access.may_block)
    form = forms.BlockForm()
    if form.validate_on_submit():
        moderation.block_person(current_user, person, now=utcnow())
        db.session.commit()
        permissions.forget_relations()
        flash(f"You blocked {person.name}. They won't be told.", "success")
        return to_blocked(conference)
    return render_template(
        "introductions/block.html",
        conference=conference,
        person=person,
        form=form,
        already=access.blocks(current_user, person),
    )


@bp.post("/unblock/<int:user_id>")
@login_required
def unblock_person(slug: str, user_id: int):
    conference, person = load_target(slug, user_id, lambda me, p, c: access.blocks(me, p))
    if not forms.BlockForm().validate_on_submit():
        abort(400)
    try:
        moderation.unblock_person(current_user, person)
    except DomainError as err:  # unblocked twice at once
        flash(err.message, "error")
        return to_blocked(conference)
    db.session.commit()
    permissions.forget_relations()
    flash(f"You unblocked {person.name}. Earlier introductions stay closed.", "info")
    return to_blocked(conference)


@bp.get("/blocked")
@login_required
def list_blocked(slug: str):
    """The current user's blocks, in every conference: they are theirs, so no membership is
    needed to see or lift them."""
    conference = get_conference_or_404(slug)
    return render_template(
        "introductions/blocked.html",
        conference=conference,
        blocks=moderation.blocks_of(current_user),
    )


@bp.route("/report/<int:user_id>", methods=["GET", "POST"])
@login_required
def report_person(slug: str, user_id: int):
    conference, person = load_target(slug, user_id, access.may_report)
    form = forms.ReportForm()

    def report():
        reason, teller = form.reason.data, teller_for(conference)
        moderation.report_person(
            current_user, person, conference, reason, now=utcnow(), teller=teller
        )

    if submitted(form, report):
        flash("Thank you. The organizers will look at your report.", "success")
        return to_inbox(conference)
    return form_page("introductions/report.html", form, conference=conference, person=person)
