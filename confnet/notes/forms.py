"""Forms of the notes area: one per action; GET forms (search, compare) carry no CSRF."""

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, SearchField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Regexp

from confnet.schedule.listing import SEARCH_MAX

MARKDOWN_HINT = (
    "Markdown: # heading, - list, **bold**, _italic_, [link](https://…), `code`, "
    "| tables |. Up to 100 KB."
)
_VERSION = [Regexp(r"^\d{1,9}$", message="Reload the page and try again.")]


class _NoteForm(FlaskForm):
    """A note's text plus the version it was opened at; "Preview" shows it without saving."""

    save = SubmitField("Save")
    preview = SubmitField("Preview")

    @property
    def previewing(self) -> bool:
        return bool(self.preview.data)

    def set_version(self, number: int) -> None:
        """Render ``number`` as the version the next save starts from (e.g. after a conflict)."""
        self.version.data = str(number)
        self.version.raw_data = None


class SharedNoteForm(_NoteForm):
    body = TextAreaField("Shared notes", description=MARKDOWN_HINT, render_kw={"rows": 14})
    # The revision the edit started from: the save is refused if another came after it.
    version = HiddenField(validators=_VERSION)


class PrivateNoteForm(_NoteForm):
    body = TextAreaField("My private note", description=MARKDOWN_HINT, render_kw={"rows": 12})
    version = HiddenField(validators=_VERSION)


class ModerateForm(FlaskForm):
    """Restore or hide one revision: the revision is in the URL."""


_REVISION = [InputRequired(), NumberRange(min=1, max=2**31 - 1)]


class CompareForm(Form):
    a = IntegerField("From revision", validators=_REVISION)
    b = IntegerField("To revision", validators=_REVISION)


def _clip(value: str | None) -> str:
    return " ".join((value or "").split())[:SEARCH_MAX]


class KnowledgeSearchForm(Form):
    q = SearchField(
        "Search sessions and notes",
        filters=[_clip],
        render_kw={"maxlength": SEARCH_MAX, "placeholder": "Topic, speaker, any word"},
    )
