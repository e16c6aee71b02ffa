"""Sign up, log in, log out and password reset: thin adapters over ``auth.services``."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from confnet.auth import forms, services
from confnet.database import set_write_intent
from confnet.errors import DomainError
from confnet.extensions import db
from confnet.limits import limited
from confnet.mail import get_mailer
from confnet.web import client_ip, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/sign-up", methods=["GET", "POST"])
@limited("sign-up")
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = forms.SignUpForm()
    if form.validate_on_submit():
        try:
            services.sign_up(
                form.email.data,
                form.name.data,
                form.password.data,
                mailer=get_mailer(),
                login_link=url_for("auth.log_in", _external=True),
            )
        except DomainError as err:
            form.password.errors.append(err.message)
        else:
            db.session.commit()
            flash("Your account is ready. Log in to continue.", "success")
            session["login_email"] = form.email.data  # prefilled, but kept out of the URL
            return redirect(url_for("auth.log_in"))
    return render_template("auth/sign_up.html", form=form)


@bp.route("/log-in", methods=["GET", "POST"])
@limited("log-in")
def log_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    form = forms.LogInForm(email=session.pop("login_email", ""))
    error = None
    if form.validate_on_submit():
        # The password check is slow on purpose. Run it in a read transaction, so that on SQLite
        # it doesn't hold the write lock (every POST takes it up front) and stall all writers.
        db.session.rollback()
        set_write_intent(False)
        try:
            user = services.authenticate(
                form.email.data,
                form.password.data,
                client_ip(),
                services.LoginLimits.from_config(current_app.config),
            )
        except DomainError as err:
            if isinstance(err, services.InvalidCredentials):
                db.session.rollback()
                set_write_intent(True)
                services.record_login_failure(form.email.data, client_ip())
                db.session.commit()
            status = err.status if isinstance(err, services.Throttled) else 200
            return render_template("auth/log_in.html", form=form, error=err.message), status
        session.clear()  # a fresh session on log-in: no fixation
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/log_in.html", form=form, error=error)


@bp.post("/log-out")
def log_out():
    if forms.LogOutForm().validate_on_submit():
        session.clear()
        logout_user()  # after clear: it leaves the marker that deletes the remember-me cookie
        flash("You are logged out.", "info")
    return redirect(url_for("home.index"))


@bp.post("/log-out-everywhere")
@login_required
def log_out_everywhere():
    if forms.LogOutForm().validate_on_submit():
        services.sign_out_everywhere(current_user)
        db.session.commit()
        session.clear()
        logout_user()
        flash("You are logged out on every device.", "info")
    return redirect(url_for("home.index"))


@bp.route("/password-resets", methods=["GET", "POST"])
@limited("password-reset")
def request_reset():
    form = forms.PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data,
            client_ip(),
            secret_key=current_app.secret_key,
            link=lambda token: url_for("auth.reset", token=token, _external=True),
            mailer=get_mailer(),
        )
        db.session.commit()
        flash(
            "If that address has an account, a reset link is on its way. It works for one hour.",
            "info",
        )
        return redirect(url_for("auth.log_in"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/password-resets/<token>", methods=["GET", "POST"])
def reset(token: str):
    cfg = current_app.config
    try:
        services.user_for_reset_token(
            token, secret_key=current_app.secret_key, max_age=cfg["PASSWORD_RESET_MAX_AGE"]
        )
    except services.InvalidResetLink as err:
        return render_template("auth/reset_invalid.html", message=err.message), 400
    form = forms.PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(
                token,
                form.password.data,
                secret_key=current_app.secret_key,
                max_age=cfg["PASSWORD_RESET_MAX_AGE"],
            )
        except DomainError as err:
            form.password.errors.append(err.message)
        else:
            db.session.commit()
            flash("Your password is changed. Log in with the new one.", "success")
            return redirect(url_for("auth.log_in"))
    return render_template("auth/reset.html", form=form)


@bp.get("/log-out")
@login_required
def confirm_log_out():
    return render_template("auth/log_out.html")
