"""Forms of the account area: profile and password."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from confnet.accounts import services
from confnet.auth.forms import CONFIRM_PASSWORD, NEW_PASSWORD, PASSWORD_HINT
from confnet.errors import DomainError
from confnet.formkit import enum_choices
from confnet.models import CareerStage, Profession
from confnet.people.forms import offer_choices, seek_choices


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes; values not offered are refused ("Not a valid choice")."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _service_check(check):
    """A WTForms validator from a service check that raises DomainError."""

    def validate(_form, field):
        try:
            check(field.data or "")
        except DomainError as err:
            raise ValidationError(err.message) from None

    return validate


def _interests(text: str) -> None:
    services.parse_list(text, what="interests", limit=services.MAX_INTERESTS)


def _languages(text: str) -> None:
    services.parse_list(text, what="languages", limit=services.MAX_LANGUAGES)


def _max(limit: int, noun: str) -> Length:
    """A length limit whose message names the field: "Please keep your city to 120 characters
    or fewer." """
    return Length(max=limit, message=f"Please keep {noun} to {limit:,} characters or fewer.")


class ProfileForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), _max(120, "your name")])
    profession = SelectField(
        "Profession", choices=enum_choices(Profession, blank="—"), validators=[Optional()]
    )
    career_stage = SelectField(
        "Career stage", choices=enum_choices(CareerStage, blank="—"), validators=[Optional()]
    )
    specialty = StringField(
        "Specialty",
        validators=[Optional(), _max(120, "your specialty")],
        description="e.g. Cardiology, Paediatric oncology nursing",
    )
    sub_specialty = StringField(
        "Sub-specialty",
        validators=[Optional(), _max(120, "your sub-specialty")],
        description="e.g. Electrophysiology, Heart failure",
    )
    organization = StringField(
        "Organization", validators=[Optional(), _max(160, "your organization")]
    )
    city = StringField("City", validators=[Optional(), _max(120, "your city")])
    country = StringField("Country", validators=[Optional(), _max(120, "your country")])
    languages = StringField(
        "Languages",
        validators=[Optional(), _max(200, "your languages"), _service_check(_languages)],
        description="Separate with commas: English, Dutch",
    )
    interests = StringField(
        "Interests",
        validators=[Optional(), _max(500, "your interests"), _service_check(_interests)],
        description="Separate with commas: heart failure, AI in imaging",
    )
    bio = TextAreaField("Short bio", validators=[Optional(), _max(2000, "your bio")])
    offers = CheckboxesField("I offer", choices=offer_choices())
    seeks = CheckboxesField("I look for", choices=seek_choices())
    contact_email = EmailField(
        "Email for people you connect with",
        validators=[
            Optional(),
            _max(254, "your email"),
            _service_check(services.check_contact_email),
        ],
    )
    phone = TelField(
        "Phone",
        validators=[
            Optional(),
            _max(40, "your phone number"),
            _service_check(services.check_phone),
        ],
        description="With the country code: +31 10 123 4567",
    )
    links = TextAreaField(
        "Profile links",
        validators=[Optional(), _max(800, "your links"), _service_check(services.parse_links)],
        description="Up to 3 web addresses, one per line: ORCID, LinkedIn, your department page",
        render_kw={"rows": 3},
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("New password", validators=NEW_PASSWORD, description=PASSWORD_HINT)
    confirm = PasswordField("Repeat new password", validators=CONFIRM_PASSWORD)
