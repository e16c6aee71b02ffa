"""Your account: profile and password."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from confnet.accounts import forms, services
from confnet.auth import services as auth
from confnet.errors import DomainError
from confnet.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    profile = services.get_or_build_profile(current_user)
    form = forms.ProfileForm(obj=profile, name=current_user.name)
    if form.validate_on_submit():
        fields = {k: v or "" for k, v in form.data.items() if k != "csrf_token"}
        services.update_profile(current_user, **fields)
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("accounts.edit_profile"))
    if not form.is_submitted():
        form.profession.data = profile.profession.value if profile.profession else ""
        form.career_stage.data = profile.career_stage.value if profile.career_stage else ""
    return render_template("accounts/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current.data, form.password.data)
        except auth.InvalidCredentials as err:
            form.current.errors.append(err.message)
        except DomainError as err:
            form.password.errors.append(err.message)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this device stays logged in
            flash("Password changed. Your other devices are logged out.", "success")
            return redirect(url_for("accounts.edit_profile"))
    return render_template("accounts/password.html", form=form)
