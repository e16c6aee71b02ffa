"""Conference pages under ``/c/<slug>/``: home, join/leave, settings and members."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from confnet import permissions
from confnet.conferences import forms, services
from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.home.services import upcoming_sessions
from confnet.models import Membership, Role, Visibility
from confnet.web import get_conference_or_404

bp = Blueprint("conferences", __name__)


@bp.get("/conferences")
def index():
    user = current_user if current_user.is_authenticated else None
    today = utcnow().date()
    return render_template(
        "conferences/index.html",
        joined=services.conferences_of(user) if user else [],
        others=services.open_conferences(user, today),
    )


@bp.get("/c/<slug>/")
def show(slug: str):
    conference = get_conference_or_404(slug)
    return render_template(
        "conferences/show.html",
        conference=conference,
        membership=permissions.membership_of(current_user, conference),
        summary=services.programme_summary(conference),
        upcoming=upcoming_sessions([conference.id], utcnow(), limit=5),
        join_form=forms.JoinForm,
    )


@bp.post("/c/<slug>/join")
@login_required
def join(slug: str):
    conference = get_conference_or_404(slug)
    form = forms.JoinForm()
    if form.validate_on_submit():
        services.join_conference(current_user, conference, Visibility(form.visibility.data))
        db.session.commit()
        flash(f"Welcome to {conference.name}!", "success")
    return redirect(url_for("conferences.show", slug=slug))


@bp.post("/c/<slug>/leave")
@login_required
def leave(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_leave_conference(current_user, conference):
        abort(403)
    if forms.LeaveForm().validate_on_submit():
        try:
            services.leave_conference(current_user, conference)
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(f"You left {conference.name}.", "info")
    return redirect(url_for("conferences.show", slug=slug))


@bp.route("/c/<slug>/settings", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_manage_conference(current_user, conference):
        abort(403)
    form = forms.EditConferenceForm(obj=conference)
    if form.validate_on_submit():
        try:
            details = {k: v for k, v in form.data.items() if k != "csrf_token"}
            services.update_conference(conference, **details)
        except DomainError as err:
            form.form_errors.append(err.message)
        else:
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("conferences.show", slug=slug))
    return render_template("conferences/edit.html", conference=conference, form=form)


@bp.route("/c/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug: str):
    conference = get_conference_or_404(slug)
    if not permissions.can_manage_conference(current_user, conference):
        abort(403)
    form = forms.AddMemberForm()
    if form.validate_on_submit():
        try:
            services.add_member_by_email(conference, form.email.data, Role(form.role.data))
        except DomainError as err:
            form.email.errors.append(err.message)
        else:
            db.session.commit()
            flash(f"{form.email.data} is now {Role(form.role.data).label}.", "success")
            return redirect(url_for("conferences.members", slug=slug))
    return render_template(
        "conferences/members.html",
        conference=conference,
        form=form,
        members=services.members_of(conference, request.args.get("q", "")),
        search=request.args.get("q", ""),
        role_form=forms.MemberRoleForm(),
    )


@bp.post("/c/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int):
    conference = get_conference_or_404(slug)
    if not permissions.can_manage_conference(current_user, conference):
        abort(403)
    membership = db.session.scalar(
        select(Membership).filter_by(id=membership_id, conference_id=conference.id)
    ) or abort(404)
    form = forms.MemberRoleForm()
    if form.validate_on_submit():
        try:
            services.set_member_role(conference, membership, Role(form.role.data))
        except DomainError as err:
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(f"{membership.user.name} is now {Role(form.role.data).label}.", "success")
    else:
        flash("Choose one of the listed roles.", "error")
    return redirect(url_for("conferences.members", slug=slug))
