"""One form per action of the auth area."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from confnet.auth.services import MIN_PASSWORD_LENGTH

_email = [
    DataRequired(),
    Email(message="Enter an email address like name@hospital.org."),
    Length(max=254),
]
NEW_PASSWORD = [
    DataRequired(),
    Length(
        min=MIN_PASSWORD_LENGTH, max=200, message=f"Use {MIN_PASSWORD_LENGTH} to 200 characters."
    ),
]
CONFIRM_PASSWORD = [DataRequired(), EqualTo("password", message="The two passwords don't match.")]
PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well."


class SignUpForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=_email)
    password = PasswordField("Password", validators=NEW_PASSWORD, description=PASSWORD_HINT)
    confirm = PasswordField("Repeat password", validators=CONFIRM_PASSWORD)


# Logging in and asking for a reset only look an address up: any string may be tried, and the
# demo's reserved ``.test`` addresses (which must never receive mail) still work.
_known_email = [DataRequired(), Length(max=254)]


class LogInForm(FlaskForm):
    email = EmailField("Email", validators=_known_email)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")


class LogOutForm(FlaskForm):
    pass


class PasswordResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=_known_email)


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password", validators=NEW_PASSWORD, description=PASSWORD_HINT)
    confirm = PasswordField("Repeat new password", validators=CONFIRM_PASSWORD)
