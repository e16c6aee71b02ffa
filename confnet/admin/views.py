"""Site administration: create conferences and read the mail outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confnet import permissions
from confnet.auth.services import get_user_by_email
from confnet.conferences import services as conferences
from confnet.conferences.forms import CreateConferenceForm
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference, OutboxMessage, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not permissions.is_site_admin(current_user):
        abort(403)


@bp.get("/")
def index():
    return render_template(
        "admin/index.html",
        conferences=db.session.scalars(select(Conference).order_by(Conference.starts_on.desc())),
        user_count=db.session.scalar(select(func.count()).select_from(User)),
    )


@bp.route("/conferences/new", methods=["GET", "POST"])
def create_conference():
    form = CreateConferenceForm()
    if form.validate_on_submit():
        organizer = (
            get_user_by_email(form.organizer_email.data) if form.organizer_email.data else None
        )
        if form.organizer_email.data and organizer is None:
            form.organizer_email.errors.append("No account uses this address yet.")
        else:
            try:
                fields = {
                    k: v for k, v in form.data.items() if k not in ("csrf_token", "organizer_email")
                }
                conference = conferences.create_conference(**fields, organizer=organizer)
            except DomainError as err:
                form.form_errors.append(err.message)
            else:
                db.session.commit()
                flash(f"{conference.name} is created.", "success")
                return redirect(url_for("conferences.show", slug=conference.slug))
    return render_template("admin/create_conference.html", form=form)


@bp.get("/outbox")
def outbox():
    messages = db.session.scalars(
        select(OutboxMessage)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(100)
    )
    return render_template("admin/outbox.html", messages=messages)
