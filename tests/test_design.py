"""The stylesheet's colour pairs meet WCAG AA, in light and in dark mode."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parents[1] / "static" / "css" / "app.css").read_text()
# (foreground, background, minimum ratio): 4.5 for text, 3 for focus rings and borders.
PAIRS = [
    ("text", "bg", 4.5),
    ("muted", "bg", 4.5),
    ("muted", "surface", 4.5),
    ("primary", "surface", 4.5),
    ("primary", "bg", 4.5),
    ("primary-text", "primary", 4.5),
    ("danger", "bg", 4.5),
    ("danger", "surface", 4.5),
    ("ok-text", "ok-bg", 4.5),
    ("info-text", "info-bg", 4.5),
    ("err-text", "err-bg", 4.5),
    ("text", "accent-soft", 4.5),
    ("focus", "bg", 3),
    ("focus", "surface", 3),
]


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = {**LIGHT, **palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])}


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_colour_pairs_meet_wcag_aa(scheme, fg, bg, minimum):
    assert ratio(scheme[fg], scheme[bg]) >= minimum, (fg, bg, scheme[fg], scheme[bg])
