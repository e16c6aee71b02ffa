"""Cleaning the text people type (places, notes, meeting point names) before it is stored.

Control characters and lone surrogates are dropped: PostgreSQL refuses NUL and invalid UTF-8,
and neither means anything to a reader. HTML is left as typed: it is escaped when shown.
"""

import re

# C0 and C1 controls except TAB and LF, DEL, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(text: str | None) -> str:
    """``text`` on one line: runs of white space (line breaks included) become one space."""
    return " ".join(_UNSAFE.sub("", (text or "").replace("\r", "\n")).split())


def paragraphs(text: str | None) -> str:
    """``text`` with its line breaks kept (as LF), trimmed at both ends."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text).strip()
