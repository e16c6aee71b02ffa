"""The one form of the "Your data" page: deleting the account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[DataRequired(message="Enter your password."), Length(max=200)]
    )
    understood = BooleanField(
        "I understand that my account and my data can't be brought back",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )
