"""Forms of the conference area, one per action."""

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from confnet.formkit import enum_choices
from confnet.models import Role, Visibility
from confnet.timefmt import timezone_choices


class ConferenceDetailsForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=160)])
    tagline = StringField("Tagline", validators=[Optional(), Length(max=200)])
    starts_on = DateField("First day", validators=[InputRequired()])
    ends_on = DateField("Last day", validators=[InputRequired()])
    timezone = SelectField("Timezone", validators=[DataRequired()], default="UTC")
    venue = StringField("Venue", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=120)])
    description = TextAreaField("About", validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = ["UTC", *timezone_choices()]

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day can't be before the first day.")


class CreateConferenceForm(ConferenceDetailsForm):
    slug = StringField(
        "Short name (in the address)",
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9][a-z0-9-]*$", message="Lower-case letters, digits and dashes."),
        ],
        description="Pages will live at /c/<short name>/. It can't be changed later.",
    )
    organizer_email = EmailField(
        "First organizer's email",
        validators=[Optional(), Length(max=254)],  # looked up, not mailed: no format check
        description="Optional: an existing account that will run this conference.",
    )


class EditConferenceForm(ConferenceDetailsForm):
    pass


class JoinForm(FlaskForm):
    """Joining asks how other attendees may find you; a form without the choice (an old page, a
    script) joins as listed, the default shown on the page."""

    visibility = RadioField(
        "How other attendees find you",
        choices=[SelectChoice(v.value, v.label) for v in Visibility],
        default=Visibility.LISTED.value,
        validators=[Optional()],
    )


class LeaveForm(FlaskForm):
    pass


ROLE_CHOICES = enum_choices(Role)


class MemberRoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class AddMemberForm(FlaskForm):
    # Only looks an existing account up, so no format check (demo .test addresses must work).
    email = EmailField("Email of their account", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.SPEAKER.value)
