"""Forms of the programme area, one per action. Rules beyond types live in the services."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    ColorField,
    DateField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from confnet.formkit import enum_choices
from confnet.models import ItemKind
from confnet.programme.services import ItemInput
from confnet.programme.venues import CAPACITY_MAX, RoomInput, TrackInput
from confnet.timefmt import format_day

CLOCK = ["%H:%M", "%H:%M:%S"]
NUMBER = "Write a whole number, e.g. 120."
CAPACITY = [Optional(), NumberRange(min=1, max=CAPACITY_MAX, message=f"From 1 to {CAPACITY_MAX}.")]


class RoomForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(
        "Seats",
        validators=CAPACITY,
        description="Optional.",
        render_kw={"min": 1},
        invalid_value_message=NUMBER,
    )
    notes = StringField(
        "Floor and notes",
        validators=[Optional(), Length(max=200)],
        description="Where it is and what it has, e.g. “First floor, hearing loop”.",
    )
    position = IntegerField(
        "Order",
        default=0,
        validators=[Optional(), NumberRange(min=-1000, max=1000)],
        invalid_value_message=NUMBER,
        description="Rooms are listed by this number, smallest first.",
    )

    def to_input(self) -> RoomInput:
        return RoomInput(
            self.name.data, self.capacity.data, self.notes.data or "", self.position.data or 0
        )


class TrackForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    colour = ColorField(
        "Colour",
        default="#4455aa",
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message="A colour as # and six hex digits (#1d4ed8)."),
        ],
        description="Pick one dark enough for white text.",
    )

    def to_input(self) -> TrackInput:
        return TrackInput(self.name.data, self.colour.data)


def _id_or_none(value: str | None) -> int | None:
    return int(value) if value else None


def _choices(rows, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [SelectChoice(str(row.id), row.name) for row in rows]


class ItemForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=enum_choices(ItemKind), default=ItemKind.TALK.value)
    track = SelectField(
        "Track", default="", invalid_choice_message="Choose one of the listed tracks."
    )
    room = SelectField("Room", default="", invalid_choice_message="Choose one of the listed rooms.")
    day = DateField(
        "Day",
        validators=[InputRequired(message="Pick a day.")],
        invalid_value_message="A date like 2027-03-26.",
    )
    starts = TimeField(
        "Starts",
        validators=[InputRequired(message="When does it start?")],
        format=CLOCK,
        invalid_value_message="A time like 14:30.",
    )
    ends = TimeField(
        "Ends",
        validators=[InputRequired(message="When does it end?")],
        format=CLOCK,
        invalid_value_message="A time like 15:15.",
    )
    abstract = TextAreaField("Abstract", validators=[Optional(), Length(max=10_000)])
    speakers = TextAreaField(
        "Speakers",
        validators=[Optional(), Length(max=5000)],
        description="One per line: “Name”, or “Name <email>” to link their account.",
    )
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=500)],
        description="Comma-separated, e.g. heart failure, imaging.",
    )
    links = TextAreaField(
        "Links",
        validators=[Optional(), Length(max=12_000)],
        description="One per line: “Slides | https://…”. Links go live as soon as you save.",
    )
    capacity = IntegerField(
        "Places",
        validators=CAPACITY,
        render_kw={"min": 1},
        invalid_value_message=NUMBER,
        description="Optional; needed for sign-up.",
    )
    signup_required = BooleanField("Attendees must sign up (needs places)")

    def __init__(self, *args, rooms=(), tracks=(), days=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.room.choices = _choices(rooms, "No room")
        self.track.choices = _choices(tracks, "No track")
        if days:  # the date picker opens on the allowed days
            self.day.render_kw = {"min": days[0].isoformat(), "max": days[1].isoformat()}

    def to_input(self) -> ItemInput:
        return ItemInput(
            title=self.title.data,
            day=self.day.data,
            starts=self.starts.data,
            ends=self.ends.data,
            kind=ItemKind(self.kind.data),
            abstract=self.abstract.data or "",
            track_id=_id_or_none(self.track.data),
            room_id=_id_or_none(self.room.data),
            speakers=self.speakers.data or "",
            tags=self.tags.data or "",
            links=self.links.data or "",
            capacity=self.capacity.data,
            signup_required=bool(self.signup_required.data),
        )


class FilterForm(FlaskForm):
    """The sessions list's GET filters (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    day = SelectField("Day", validators=[Optional()])
    room = SelectField("Room", validators=[Optional()])
    track = SelectField("Track", validators=[Optional()])
    q = SearchField("Search", validators=[Optional(), Length(max=100)])

    def __init__(self, formdata, *, days=(), rooms=(), tracks=()):
        super().__init__(formdata)
        self.day.choices = [SelectChoice("", "All days")] + [
            SelectChoice(d.isoformat(), format_day(d)) for d in days
        ]
        self.room.choices = _choices(rooms, "All rooms")
        self.track.choices = _choices(tracks, "All tracks")


class PublishForm(FlaskForm):
    note = TextAreaField(
        "Note for attendees (optional)",
        validators=[Optional(), Length(max=2000)],
        description="Shown with the release, e.g. “Room changes on Saturday afternoon”.",
    )
    confirm_conflicts = BooleanField("Publish anyway")
