"""Your account: profile and password."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from confnet.accounts import forms, services
from confnet.auth import services as auth
from confnet.errors import DomainError
from confnet.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/account")


TEXT_FIELDS = (
    "specialty",
    "sub_specialty",
    "organization",
    "city",
    "country",
    "languages",
    "interests",
    "bio",
    "contact_email",
    "phone",
    "links",
)


def _current_values(user) -> dict:
    """The form's starting values; a first profile suggests the account email for contacts."""
    profile = user.profile
    if profile is None:
        return {"name": user.name, "contact_email": user.email}
    return {
        "name": user.name,
        **{name: getattr(profile, name) or "" for name in TEXT_FIELDS},
        "profession": profile.profession.value if profile.profession else "",
        "career_stage": profile.career_stage.value if profile.career_stage else "",
        "offers": [offer.value for offer in profile.offer_set],
        "seeks": [seek.value for seek in profile.seek_set],
    }


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = forms.ProfileForm(data=_current_values(current_user))
    if form.validate_on_submit():
        fields = {k: v for k, v in form.data.items() if k != "csrf_token"}
        fields = {k: tuple(v) if isinstance(v, list) else v or "" for k, v in fields.items()}
        try:
            services.update_profile(current_user, services.ProfileChanges(**fields))
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.message)
        else:
            db.session.commit()
            flash("Your profile is saved.", "success")
            return redirect(url_for("accounts.edit_profile"))
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
