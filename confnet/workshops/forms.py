"""Forms of the workshops area, one per action."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional

from confnet.formkit import enum_choices
from confnet.models import SignupMode


class SignUpForm(FlaskForm):
    pass


class CancelSeatForm(FlaskForm):
    pass


class SeatActionForm(FlaskForm):
    """Promote from the waitlist, or check in / undo: the seat is in the URL."""


class DrawLotteryForm(FlaskForm):
    pass


class SignupSettingsForm(FlaskForm):
    capacity = IntegerField("Seats", validators=[InputRequired(), NumberRange(min=1, max=100000)])
    opens_on = DateField("Sign-up opens (day)", validators=[Optional()])
    opens_at = TimeField("at", validators=[Optional()])
    closes_on = DateField("Sign-up closes (day)", validators=[Optional()])
    closes_at = TimeField("at", validators=[Optional()])
    waitlist_enabled = BooleanField("Keep a waitlist when it is full")
    mode = SelectField("How seats are given", choices=enum_choices(SignupMode))
