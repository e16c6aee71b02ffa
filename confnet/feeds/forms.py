"""Forms of the calendar page: one per action (each carries CSRF)."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from confnet.models.feeds import REMINDER_CHOICES


def _minutes(value: str | None) -> int | None:
    return int(value) if value else None


class TurnOnForm(FlaskForm):
    """Create the personal feed."""


class RegenerateForm(FlaskForm):
    """Replace the feed's secret URL."""


class TurnOffForm(FlaskForm):
    """Delete the feed."""


class ReminderForm(FlaskForm):
    minutes = SelectField(
        "Reminder before each session",
        choices=[SelectChoice("", "No reminders")]
        + [SelectChoice(str(m), f"{m} minutes before") for m in REMINDER_CHOICES],
        default="",
        description="Apple Calendar, Outlook and Thunderbird show it; Google Calendar ignores "
        "reminders in subscribed calendars.",
    )

    def chosen(self) -> int | None:
        return _minutes(self.minutes.data)
