"""Forms of the introductions area, one per action. Lengths are checked here for a friendly
field error and again by the services, which are the rule."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from confnet.introductions.rules import MESSAGE_MAX, REASON_MAX, REPLY_MAX, too_long


def _normalise(value: str | None) -> str | None:
    """Line endings as one character each (so the count matches the service's) and no
    surrounding blanks (so a message of spaces counts as empty)."""
    if value is None:
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _text(
    label: str, limit: int, what: str, hint: str = "", rows: int = 4, noun: str = "your message"
) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint or f"Up to {limit:,} characters.",
        filters=[_normalise],
        validators=[
            DataRequired(message=f"Please write {what}."),
            Length(max=limit, message=too_long(noun, limit)),
        ],
        render_kw={"rows": rows, "maxlength": limit},
    )


class RequestIntroductionForm(FlaskForm):
    message = _text(
        "Why would you like to meet?",
        MESSAGE_MAX,
        "a short message saying why",
        f"A sentence or two: what you have in common, what you hope to talk about. "
        f"Up to {MESSAGE_MAX} characters.",
    )


def _person_id(value) -> int | None:
    """A chosen person's id; None for the empty first choice."""
    return None if value in (None, "") else int(value)


def _person(label: str) -> SelectField:
    return SelectField(
        label,
        coerce=_person_id,
        validators=[DataRequired(message="Choose a person.")],
        invalid_value_message="Choose a person from the list.",
        invalid_choice_message="Choose one of your connections.",
    )


class IntroducePeopleForm(FlaskForm):
    """Two of the introducer's connections (ids; the view fills the choices) and one note."""

    first = _person("Introduce")
    second = _person("to")
    note = _text(
        "A note to both of them",
        MESSAGE_MAX,
        "a note to both of them",
        f"Both will read it: why they should meet. Up to {MESSAGE_MAX} characters.",
        noun="your note",
    )

    def set_people(self, people) -> None:
        """Offer ``people`` (users) in both lists, with an empty first choice."""
        choices = [SelectChoice("", "Choose a person")]
        choices += [SelectChoice(p.id, p.name) for p in people]
        self.first.choices = choices
        self.second.choices = list(choices)


class MessageForm(FlaskForm):
    body = _text("Your message", REPLY_MAX, "a message", rows=4)


class ReportForm(FlaskForm):
    reason = _text(
        "What happened?",
        REASON_MAX,
        "what happened",
        f"Only the organizers read this. Up to {REASON_MAX:,} characters.",
        rows=6,
        noun="your report",
    )


class AnswerForm(FlaskForm):
    """Accept, decline or withdraw an introduction: the introduction is in the URL."""


class BlockForm(FlaskForm):
    """Block or unblock a person: the person is in the URL."""


class ReportActionForm(FlaskForm):
    """Hide the reported profile, dismiss the report, or show the profile again: the report is
    in the URL."""
