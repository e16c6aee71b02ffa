"""Forms of the account area: profile and password."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from confnet.auth.forms import CONFIRM_PASSWORD, NEW_PASSWORD, PASSWORD_HINT
from confnet.formkit import enum_choices
from confnet.models import CareerStage, Profession


class ProfileForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    profession = SelectField(
        "Profession", choices=enum_choices(Profession, blank="—"), validators=[Optional()]
    )
    specialty = StringField(
        "Specialty",
        validators=[Optional(), Length(max=120)],
        description="e.g. Cardiology, Paediatric oncology nursing",
    )
    career_stage = SelectField(
        "Career stage", choices=enum_choices(CareerStage, blank="—"), validators=[Optional()]
    )
    organization = StringField("Organization", validators=[Optional(), Length(max=160)])
    city = StringField("City", validators=[Optional(), Length(max=120)])
    country = StringField("Country", validators=[Optional(), Length(max=120)])
    interests = StringField(
        "Interests",
        validators=[Optional(), Length(max=500)],
        description="Separate with commas: heart failure, AI in imaging",
    )
    bio = TextAreaField("Short bio", validators=[Optional(), Length(max=2000)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("New password", validators=NEW_PASSWORD, description=PASSWORD_HINT)
    confirm = PasswordField("Repeat new password", validators=CONFIRM_PASSWORD)
