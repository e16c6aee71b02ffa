"""The "Your data" page of the account area: downloads of everything about you (JSON, Markdown
or a zip of both) and deleting your account."""

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from confnet.database import utcnow
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.limits import limited
from confnet.mail import get_mailer
from confnet.models import Conference
from confnet.privacy import forms, services
from confnet.workshops.notify import Notifier

bp = Blueprint("privacy", __name__, url_prefix="/account")

FORMATS = {
    "json": ("application/json", services.export_json),
    "md": ("text/markdown", services.render_markdown),  # Werkzeug adds "; charset=utf-8"
}


@bp.get("/data")
@login_required
def your_data():
    return render_template("privacy/data.html", form=forms.DeleteAccountForm())


@bp.get("/data/confnet-data.<any(json, md, zip):fmt>")
@login_required
def download(fmt: str):
    now = utcnow()
    data = services.export_person_data(current_user, now=now)
    if fmt == "zip":
        body, mimetype = services.export_archive(data, now=now), "application/zip"
    else:
        mimetype, render = FORMATS[fmt]
        body = render(data)
    name = f"confnet-data-{now:%Y-%m-%d}.{fmt}"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def _notifier() -> Notifier:
    """Tells people who move up a waitlist, with a link to the workshop's page."""

    def link(item) -> str:
        slug = db.session.get(Conference, item.conference_id).slug
        return url_for("schedule.show", slug=slug, item_id=item.id)

    return Notifier(mailer=get_mailer(), link=link, base_url=request.host_url.rstrip("/"))


@bp.post("/delete")
@login_required
@limited("log-in")  # the password is checked: as many tries as logging in gets
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(
                current_user._get_current_object(),
                form.password.data,
                now=utcnow(),
                notifier=_notifier(),
            )
        except DomainError as err:
            db.session.rollback()
            form.password.errors.append(err.message)
        else:
            db.session.commit()
            session.clear()
            logout_user()  # after clear: it leaves the marker that deletes the remember-me cookie
            flash("Your account is deleted, and your personal data with it.", "info")
            return redirect(url_for("home.index"))
    return render_template("privacy/data.html", form=form)
