"""Forms of the schedule area: the GET filters (no CSRF) and the star/unstar POST."""

from collections.abc import Sequence

from flask_wtf import FlaskForm
from sqlalchemy import Row
from wtforms import Form, HiddenField, SearchField, SelectField
from wtforms.fields.choices import SelectChoice

from confnet.formkit import enum_choices
from confnet.models import ItemKind, Room, Track
from confnet.schedule.listing import SEARCH_MAX, Filters


def _clip(value: str | None) -> str:
    """Searches are trimmed and cut to ``SEARCH_MAX`` characters rather than refused."""
    return " ".join((value or "").split())[:SEARCH_MAX]


class FilterForm(Form):
    """The schedule's filters, read from the query string. Values that match nothing known
    (a deleted track, a mistyped link) are ignored and reported, never an error page."""

    q = SearchField(
        "Search",
        filters=[_clip],
        render_kw={"maxlength": SEARCH_MAX, "placeholder": "Title, topic or speaker"},
    )
    track = SelectField("Track", default="")
    kind = SelectField("Kind", choices=enum_choices(ItemKind, blank="Any kind"), default="")
    room = SelectField("Room", default="")
    tag = SelectField("Topic", default="")

    def set_options(
        self, tracks: Sequence[Track | Row], rooms: Sequence[Room | Row], tags: list[str]
    ) -> None:
        self.track.choices = [SelectChoice("", "Any track")] + [
            SelectChoice(str(t.id), t.name) for t in tracks
        ]
        self.room.choices = [SelectChoice("", "Any room")] + [
            SelectChoice(str(r.id), r.name) for r in rooms
        ]
        self.tag.choices = [SelectChoice("", "Any topic")] + [SelectChoice(t) for t in tags]

    def filters(self) -> tuple[Filters, list[str]]:
        """The valid filters, and the labels of those that were ignored."""
        self.validate()
        ignored = [
            self[name].label.text for name in ("track", "kind", "room", "tag") if self[name].errors
        ]
        value = lambda name: None if self[name].errors else (self[name].data or None)  # noqa: E731
        track, room, kind = value("track"), value("room"), value("kind")
        filters = Filters(
            track_id=int(track) if track else None,
            kind=ItemKind(kind) if kind else None,
            room_id=int(room) if room else None,
            tag=value("tag"),
            q=self.q.data or "",
        )
        return filters, ignored


class StarForm(FlaskForm):
    """Star or unstar one session; ``next`` is where to go back to without JavaScript."""

    next = HiddenField()
