"""Forms of the meetings area, one per action.

``MeetingForm`` books a meeting and makes a counter-proposal. Its time comes either from a
proposed time the person tapped (a submit button named ``slot``, whose value is
``YYYY-MM-DDTHH:MM`` in local time) or from the day and time fields; the length field serves
both. A submit button named ``show`` only asks for the free times of another length: the page
comes back with everything typed kept (no JavaScript needed). The form
only parses; the service judges (days, hours, the past, clashes, the meeting point).
"""

import re
from datetime import date, time

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import TimeInput

from confnet.meetings.points import DETAILS_MAX, NAME_MAX
from confnet.meetings.services import NOTE_MAX, PLACE_MAX, MeetingRequest
from confnet.meetings.slots import LENGTHS, spoken_day
from confnet.models import Meeting, MeetingPoint

OTHER = "other"
DEFAULT_MINUTES = 30
_SLOT = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d?:\d\d)")
_CLOCK = re.compile(r"(\d\d?):(\d\d)(?::\d\d)?")
LENGTH_CHOICES = [SelectChoice(str(m), f"{m} minutes") for m in LENGTHS]


def slot_value(day: date, clock: time) -> str:
    return f"{day.isoformat()}T{clock:%H:%M}"


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def parse_clock(text: str | None) -> time | None:
    match = _CLOCK.fullmatch((text or "").strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def parse_minutes(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and int(text) in LENGTHS else None


class MeetingForm(FlaskForm):
    slot = HiddenField(validators=[Optional(), Length(max=40)])
    day = SelectField("Day", validate_choice=False)
    clock = StringField("Time", widget=TimeInput(), render_kw={"step": 300})
    minutes = SelectField("Length", choices=LENGTH_CHOICES, validate_choice=False)
    point = SelectField("Meeting point", validate_choice=False)
    place = StringField(
        "Place, if “Other…”",
        validators=[Length(max=PLACE_MAX, message=f"Keep it within {PLACE_MAX} characters.")],
        render_kw={"maxlength": PLACE_MAX, "placeholder": "e.g. the coffee bar by Hall A"},
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[Length(max=NOTE_MAX, message=f"Keep it within {NOTE_MAX} characters.")],
        render_kw={"maxlength": NOTE_MAX, "rows": 3},
        description="What you'd like to talk about. Both of you see it.",
    )

    def set_options(self, days: list[date], points: list[MeetingPoint]) -> None:
        self.day.choices = [SelectChoice(d.isoformat(), spoken_day(d)) for d in days]
        places = [SelectChoice(str(p.id), p.name) for p in points]
        self.point.choices = [*places, SelectChoice(OTHER, "Other…")]
        if not self.point.data:
            self.point.data = places[0].value if places else OTHER
        if not self.minutes.data:
            self.minutes.data = str(DEFAULT_MINUTES)

    def fill_from(self, meeting: Meeting, tz) -> None:
        """Start from ``meeting``'s current time, place and note (a counter-proposal)."""
        local = meeting.starts_at.astimezone(tz)
        self.day.data, self.clock.data = local.date().isoformat(), f"{local:%H:%M}"
        self.minutes.data = str(int((meeting.ends_at - meeting.starts_at).total_seconds() // 60))
        self.point.data = str(meeting.meeting_point_id) if meeting.meeting_point_id else OTHER
        self.place.data, self.note.data = meeting.place, meeting.note

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        self._when = self._tapped() if self.slot.data else self._typed()
        if self.point.data != OTHER and not (self.point.data or "").isdigit():
            self.point.errors.append("Choose one of the meeting points, or “Other…”.")
        elif self.point.data == OTHER and not (self.place.data or "").strip():
            self.place.errors.append("Say where you'd like to meet.")
        return self._when is not None and not self.point.errors and not self.place.errors

    def _tapped(self) -> tuple[date, time, int] | None:
        match = _SLOT.fullmatch(self.slot.data)
        parsed = match and (parse_day(match[1]), parse_clock(match[2]))
        if not parsed or None in parsed:
            self.form_errors.append("That time is no longer on offer. Pick another one.")
            return None
        minutes = parse_minutes(self.minutes.data)
        if minutes is None:
            self.minutes.errors.append("Choose one of the lengths.")
            return None
        return (*parsed, minutes)

    def _typed(self) -> tuple[date, time, int] | None:
        parsed = (
            parse_day(self.day.data),
            parse_clock(self.clock.data),
            parse_minutes(self.minutes.data),
        )
        for field, value, message in zip(
            (self.day, self.clock, self.minutes),
            parsed,
            ("Choose a day.", "Give a time, like 10:30.", "Choose one of the lengths."),
            strict=True,
        ):
            if value is None:
                field.errors.append(message)
        return None if None in parsed else parsed

    def request(self) -> MeetingRequest:
        """The validated form as a service request."""
        day, clock, minutes = self._when
        point_id = None if self.point.data == OTHER else int(self.point.data)
        place = self.place.data if point_id is None else ""
        return MeetingRequest(day, clock, minutes, point_id, place or "", self.note.data or "")


class AnswerForm(FlaskForm):
    """Accept, decline or cancel: the meeting is in the URL."""


class MeetingPointForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            InputRequired(message="Give the meeting point a name."),
            Length(max=NAME_MAX, message=f"Keep the name within {NAME_MAX} characters."),
        ],
        render_kw={"maxlength": NAME_MAX, "placeholder": "e.g. Meeting lounge, level 2"},
    )
    details = TextAreaField(
        "How to find it (optional)",
        validators=[Length(max=DETAILS_MAX, message=f"Keep it within {DETAILS_MAX} characters.")],
        render_kw={"maxlength": DETAILS_MAX, "rows": 2},
    )


class DeletePointForm(FlaskForm):
    """The meeting point is in the URL."""


def slot_value_at(start, tz) -> str:
    """The ``slot`` value of a proposed start (UTC) in the conference's zone ``tz``."""
    local = start.astimezone(tz)
    return slot_value(local.date(), local.time())
