"""Forms of the people area: the directory's GET filters, visibility, dismissing a suggestion."""

from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, RadioField, SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from confnet.formkit import enum_choices
from confnet.models import CareerStage, Offer, Profession, Seek, Visibility
from confnet.people.directory import SEARCH_MAX, DirectoryFilters

# How each visibility reads on the page that sets it.
VISIBILITY_HINTS = {
    Visibility.LISTED: (
        "Everyone taking part in this conference can find you in the directory, and you can be "
        "suggested to people with matching interests."
    ),
    Visibility.CONNECTIONS: (
        "You are not in the directory or in suggestions. Only people whose introduction you "
        "accepted can open your profile."
    ),
    Visibility.HIDDEN: (
        "Nobody here sees your profile. People whose introduction you already accepted still "
        "see your contact details."
    ),
}


def offer_choices(*, blank: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(o.value, o.value.capitalize()) for o in Offer]


def seek_choices(*, blank: str | None = None) -> list[SelectChoice]:
    """Labels read as what someone looks for: "A mentor", "Trial sites"."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(s.value, s.label.capitalize()) for s in Seek]


def _clip(value: str | None) -> str:
    """Searches are trimmed and cut to ``SEARCH_MAX`` characters rather than refused."""
    return " ".join((value or "").split())[:SEARCH_MAX]


class DirectoryForm(Form):
    """The directory's filters, read from the query string. Values that match nothing known (a
    mistyped link) are ignored and reported, never an error page."""

    q = SearchField(
        "Search",
        filters=[_clip],
        render_kw={"maxlength": SEARCH_MAX, "placeholder": "Name, organization, specialty, topic"},
    )
    profession = SelectField(
        "Profession", choices=enum_choices(Profession, blank="Any profession"), default=""
    )
    career_stage = SelectField(
        "Career stage", choices=enum_choices(CareerStage, blank="Any stage"), default=""
    )
    offers = SelectField("Offers", choices=offer_choices(blank="Anything"), default="")
    seeks = SelectField("Looks for", choices=seek_choices(blank="Anything"), default="")
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=100_000)])

    def filters(self) -> tuple[DirectoryFilters, list[str], int]:
        """The valid filters, the labels of those that were ignored, and the page."""
        self.validate()
        names = ("profession", "career_stage", "offers", "seeks")
        ignored = [self[name].label.text for name in names if self[name].errors]
        value = lambda name: None if self[name].errors else (self[name].data or None)  # noqa: E731
        profession, stage, offer, seek = (value(name) for name in names)
        filters = DirectoryFilters(
            q=self.q.data or "",
            profession=Profession(profession) if profession else None,
            career_stage=CareerStage(stage) if stage else None,
            offers=Offer(offer) if offer else None,
            seeks=Seek(seek) if seek else None,
        )
        page = self.page.data if self.page.data and not self.page.errors else 1
        return filters, ignored, page


class VisibilityForm(FlaskForm):
    visibility = RadioField(
        "Who can see your profile in this conference",
        choices=[SelectChoice(v.value, v.label) for v in Visibility],
        validators=[InputRequired(message="Choose one of the options.")],
    )


class DismissForm(FlaskForm):
    """Set a suggestion aside; the person is in the URL."""
