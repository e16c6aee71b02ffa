"""Shared form helpers."""

import enum

from wtforms.fields.choices import SelectChoice


def enum_choices(enum_cls: type[enum.Enum], *, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum's values, labelled with capitalised values."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(m.value, str(m.value).capitalize()) for m in enum_cls]
